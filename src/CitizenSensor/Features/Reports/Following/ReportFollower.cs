using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Reports.Following;

/// <summary>
/// A resident who follows a report someone else filed, by e-mail, instead of filing it again. The address is sealed
/// (<see cref="Data.PersonalData"/>) and found by its keyed hash; the outbox names the follower, not the address, so an
/// address never sits in the outbox and stopping takes effect at once. Updates go out only once the address has
/// confirmed, through the link in the first message (nobody can subscribe someone else's mailbox).
/// </summary>
public sealed class ReportFollower
{
    public Guid Id { get; set; }

    public Guid ReportId { get; set; }

    public required byte[] AddressHash { get; set; }

    public required byte[] SealedAddress { get; set; }

    /// <summary>The secret in the follower's links (confirm, stop). Not personal data: it only opens this subscription.</summary>
    public required string Token { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>When the confirmation message last went out: asking again within minutes sends nothing more.</summary>
    public DateTimeOffset ConfirmationSentAt { get; set; }

    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');

    public bool TokenMatches(string? token) =>
        token is { Length: > 0 and <= 64 } && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(token), System.Text.Encoding.ASCII.GetBytes(Token));

    /// <summary>The page of this subscription, where it is confirmed or stopped.</summary>
    public static string LinkPath(string code, Guid id, string token) => $"/r/{code}/follow/{id:N}/{token}";
}

internal sealed class ReportFollowerConfiguration : IEntityTypeConfiguration<ReportFollower>
{
    public void Configure(EntityTypeBuilder<ReportFollower> builder)
    {
        builder.ToTable("ReportFollowers");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.Property(f => f.AddressHash).HasMaxLength(32);
        builder.Property(f => f.SealedAddress).HasMaxLength(256);
        builder.Property(f => f.Token).HasMaxLength(32);
        builder.HasIndex(f => new { f.ReportId, f.AddressHash }).IsUnique();
        builder.HasOne<Report>().WithMany().HasForeignKey(f => f.ReportId).OnDelete(DeleteBehavior.Cascade);
    }
}
