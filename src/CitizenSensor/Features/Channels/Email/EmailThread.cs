using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Channels.Email;

/// <summary>
/// The mail thread of a report filed by e-mail: what answers need to land in the resident's same thread. It is stored
/// before the report, under the report's idempotency key (<see cref="KeyOf"/> of the first message), so the
/// acknowledgement always finds it and a crash in between files nothing twice.
/// </summary>
public sealed class EmailThread
{
    public const int MaxSubject = 300;
    public const int MaxMessageId = 300;

    /// <summary>The idempotency key of the report the first message files.</summary>
    public required string Key { get; set; }

    /// <summary>The subject of the resident's first message, for "Re: …".</summary>
    public required string Subject { get; set; }

    /// <summary>The Message-ID of the resident's first message (the thread's root).</summary>
    public required string RootMessageId { get; set; }

    /// <summary>The Message-ID of the resident's latest message, which the next answer replies to.</summary>
    public required string LastMessageId { get; set; }

    public static string KeyOf(string messageId) =>
        "email:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(messageId)));
}

/// <summary>A message already taken from the mailbox, whatever became of it (a crash before it was moved must not file it twice).</summary>
public sealed class EmailMessageSeen
{
    public required string MessageId { get; set; }

    /// <summary>The sender's address, for the per-sender loop limit; deleted with the row after 30 days.</summary>
    public required string Sender { get; set; }

    public Guid? ReportId { get; set; }

    /// <summary>filed, appended, ignored: reason, refused: reason.</summary>
    public required string Outcome { get; set; }

    public DateTimeOffset At { get; set; }
}

internal sealed class EmailThreadConfiguration : IEntityTypeConfiguration<EmailThread>
{
    public void Configure(EntityTypeBuilder<EmailThread> builder)
    {
        builder.ToTable("EmailThreads");
        builder.HasKey(t => t.Key);
        builder.Property(t => t.Key).HasMaxLength(Reports.ReportRules.MaxIdempotencyKey);
        builder.Property(t => t.Subject).HasMaxLength(EmailThread.MaxSubject);
        builder.Property(t => t.RootMessageId).HasMaxLength(EmailThread.MaxMessageId);
        builder.Property(t => t.LastMessageId).HasMaxLength(EmailThread.MaxMessageId);
    }
}

internal sealed class EmailMessageSeenConfiguration : IEntityTypeConfiguration<EmailMessageSeen>
{
    public void Configure(EntityTypeBuilder<EmailMessageSeen> builder)
    {
        builder.ToTable("EmailMessagesSeen");
        builder.HasKey(m => m.MessageId);
        builder.Property(m => m.MessageId).HasMaxLength(EmailThread.MaxMessageId);
        builder.Property(m => m.Sender).HasMaxLength(256);
        builder.Property(m => m.Outcome).HasMaxLength(300);
        builder.HasIndex(m => new { m.Sender, m.At });
        builder.HasIndex(m => m.At);
    }
}
