using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Channels.Facebook;

/// <summary>
/// One resident's conversation with the page: what they sent before a report could be made (a location, photos),
/// and the report their later messages add to while it is open.
/// </summary>
public sealed class MessengerConversation
{
    /// <summary>The page-scoped id Facebook gives the resident; the only identifier kept.</summary>
    public required string Psid { get; set; }

    public Guid? ReportId { get; set; }

    public string? DraftText { get; set; }

    public double? DraftLat { get; set; }

    public double? DraftLng { get; set; }

    /// <summary>Photo URLs waiting for the report, one per line.</summary>
    public string? DraftImages { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A Messenger message already handled (Facebook may deliver one twice).</summary>
public sealed class MessengerMessageSeen
{
    public required string Mid { get; set; }

    public DateTimeOffset At { get; set; }
}

internal sealed class MessengerConversationConfiguration : IEntityTypeConfiguration<MessengerConversation>
{
    public void Configure(EntityTypeBuilder<MessengerConversation> builder)
    {
        builder.ToTable("MessengerConversations");
        builder.HasKey(c => c.Psid);
        builder.Property(c => c.Psid).HasMaxLength(64);
        builder.Property(c => c.DraftText).HasMaxLength(Reports.ReportRules.MaxDescription);
        builder.Property(c => c.DraftImages).HasMaxLength(8000);
    }
}

internal sealed class MessengerMessageSeenConfiguration : IEntityTypeConfiguration<MessengerMessageSeen>
{
    public void Configure(EntityTypeBuilder<MessengerMessageSeen> builder)
    {
        builder.ToTable("MessengerMessagesSeen");
        builder.HasKey(m => m.Mid);
        builder.Property(m => m.Mid).HasMaxLength(200);
        builder.HasIndex(m => m.At);
    }
}
