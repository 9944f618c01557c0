using System.Security.Cryptography;
using CitizenSensor.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Reports;

public enum ReportStatus
{
    Received,
    NeedsTriage,
    Routed,
    InProgress,
    Resolved,
    Rejected,
}

/// <summary>The door a report came in by; the answer goes back the same way.</summary>
public static class ReportChannels
{
    public const string Web = "web";
    public const string App = "app";
    public const string Open311 = "open311";
    public const string Phone = "phone";
    public const string Email = "email";
    public const string Facebook = "facebook";
}

/// <summary>A citizen report (phản ánh): what, where, who (optional), and where it stands.</summary>
public sealed class Report : IUnitScoped
{
    /// <summary>Read-aloud-friendly alphabet: no 0/O, 1/I/L, no U/V confusion.</summary>
    public const string CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTWXYZ";
    public const int CodeLength = 10;

    public Guid Id { get; set; }

    /// <summary>Short, unguessable (~48 bits), and easy to read out on the phone.</summary>
    public required string Code { get; set; }

    public required string Description { get; set; }

    public double? Latitude { get; set; }

    public double? Longitude { get; set; }

    public string? Address { get; set; }

    public string? CategoryHint { get; set; }

    public string? CategoryCode { get; set; }

    public double? Confidence { get; set; }

    /// <summary>Why the classifier chose the category: the cues it found.</summary>
    public string? ClassificationReason { get; set; }

    public ReportStatus Status { get; set; }

    /// <summary>The routed unit (a district), its path for scoping, and the ward when known.</summary>
    public string? UnitCode { get; set; }

    public string? UnitPath { get; set; }

    public string? WardCode { get; set; }

    /// <summary>Why the report needs a person (no location, gap in the boundaries, low confidence…).</summary>
    public string? TriageReason { get; set; }

    public required string Channel { get; set; }

    public bool Anonymous { get; set; }

    /// <summary>The reporter's name, sealed (<see cref="Data.PersonalData"/>); erased when the report's retention ends.</summary>
    public byte[]? SealedReporterName { get; set; }

    /// <summary>The reporter's phone (normalised), sealed.</summary>
    public byte[]? SealedReporterPhone { get; set; }

    /// <summary>The reporter's e-mail, sealed.</summary>
    public byte[]? SealedReporterEmail { get; set; }

    /// <summary>The keyed hash of the reporter's phone (<see cref="PhoneLookup"/>): the call console finds a caller's reports by it.</summary>
    public byte[]? ReporterPhoneHash { get; set; }

    /// <summary>When the reporter's contact and channel address were erased at the end of the retention period.</summary>
    public DateTimeOffset? ReporterErasedAt { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    public DateTimeOffset? ClassifiedAt { get; set; }

    public DateTimeOffset? RoutedAt { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public string? PublicResult { get; set; }

    /// <summary>Sanctions recorded with the result: a fine in VND and/or suspension of a business.</summary>
    public long? FineVnd { get; set; }

    public bool BusinessSuspended { get; set; }

    /// <summary>invalid, duplicate or not-ours, when rejected or sent back.</summary>
    public string? RejectionReason { get; set; }

    public string? DuplicateOfCode { get; set; }

    /// <summary>Set by the SLA job when a deadline passed (see <see cref="EscalatedTo"/>); cleared when the report moves on.</summary>
    public DateTimeOffset? EscalatedAt { get; set; }

    /// <summary>Who must act on the escalation (<see cref="ReportEscalation"/>): never the desk that let it run late.</summary>
    public string? EscalatedTo { get; set; }

    /// <summary>Optimistic concurrency: two officers acting at once do not overwrite each other.</summary>
    public int Version { get; set; }

    public List<ReportNote> Notes { get; set; } = [];

    public List<Attachments.ReportAttachment> Attachments { get; set; } = [];

    public string? IdempotencyKey { get; set; }

    /// <summary>SHA-256 of the request that carried the idempotency key, to catch a key reused for another report.</summary>
    public string? RequestHash { get; set; }

    /// <summary>Set while one app node processes the report, so that two nodes do not.</summary>
    public DateTimeOffset? ProcessingLeaseUntil { get; set; }

    public int ProcessingAttempts { get; set; }

    /// <summary>The batch that holds the lease (one claim marks a whole batch).</summary>
    public Guid? ProcessingLeaseOwner { get; set; }

    public List<ReportEvent> Events { get; set; } = [];

    /// <summary>For a report filed by phone: when an agent called the resident back with the result.</summary>
    public DateTimeOffset? CalledBackAt { get; set; }

    /// <summary>Where the answers go on the report's channel (an e-mail address, a Messenger user's page-scoped id), sealed.</summary>
    public byte[]? SealedChannelAddress { get; set; }

    /// <summary>Where an app back-end wants each status change pushed (see <c>docs/webhooks.md</c>).</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The Standard Webhooks signing secret for <see cref="WebhookUrl"/>, given to the submitter once.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Code, description and address folded for the inbox's search (see <see cref="Inbox.ReportSearch"/>); set on save.</summary>
    public string? SearchText { get; set; }

    public static string NewCode() => RandomNumberGenerator.GetString(CodeAlphabet, CodeLength);

    /// <summary>The look-up hash of a reporter's normalised phone (<see cref="ReporterPhoneHash"/>).</summary>
    public static byte[] PhoneLookup(Data.PersonalData personal, string normalizedPhone) => personal.Hash("reporter-phone", normalizedPhone);

    /// <summary>Accepts codes as people read them back: any case, with spaces or dashes.</summary>
    public static string NormalizeCode(string code) =>
        new([.. code.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant)]);
}

/// <summary>An internal note by staff; never shown to the public.</summary>
public sealed class ReportNote
{
    public long Id { get; set; }

    public Guid ReportId { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Author { get; set; }

    public required string Text { get; set; }
}

/// <summary>A category a person set instead of the classifier's: kept to tune the rules.</summary>
public sealed class CategoryCorrection
{
    public long Id { get; set; }

    public Guid ReportId { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Description { get; set; }

    public string? FromCategory { get; set; }

    public required string ToCategory { get; set; }

    public required string By { get; set; }
}

/// <summary>A step in a report's life, as the public sees it (internal notes live elsewhere).</summary>
public sealed class ReportEvent
{
    public long Id { get; set; }

    public Guid ReportId { get; set; }

    public DateTimeOffset At { get; set; }

    public ReportStatus Status { get; set; }

    public string? PublicNote { get; set; }
}

internal sealed class ReportConfiguration : IEntityTypeConfiguration<Report>
{
    public void Configure(EntityTypeBuilder<Report> builder)
    {
        builder.ToTable("Reports");
        builder.Property(r => r.Code).HasMaxLength(Report.CodeLength);
        builder.HasIndex(r => r.Code).IsUnique();
        builder.Property(r => r.Description).HasMaxLength(ReportRules.MaxDescription);
        builder.Property(r => r.Address).HasMaxLength(ReportRules.MaxAddress);
        builder.Property(r => r.CategoryHint).HasMaxLength(32);
        builder.Property(r => r.CategoryCode).HasMaxLength(32);
        builder.Property(r => r.ClassificationReason).HasMaxLength(500);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.UnitCode).HasMaxLength(16);
        builder.Property(r => r.UnitPath).HasMaxLength(256);
        builder.Property(r => r.WardCode).HasMaxLength(16);
        builder.Property(r => r.TriageReason).HasMaxLength(300);
        builder.Property(r => r.EscalatedTo).HasMaxLength(32);
        builder.Property(r => r.Channel).HasMaxLength(16);
        builder.Property(r => r.ReporterPhoneHash).HasMaxLength(32);
        builder.HasIndex(r => r.ReporterPhoneHash);
        builder.Property(r => r.PublicResult).HasMaxLength(ReportRules.MaxDescription);
        builder.Property(r => r.IdempotencyKey).HasMaxLength(ReportRules.MaxIdempotencyKey);
        builder.HasIndex(r => r.IdempotencyKey).IsUnique();
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.HasIndex(r => new { r.Status, r.SubmittedAt });
        builder.HasIndex(r => r.UnitPath);
        builder.HasMany(r => r.Events).WithOne().HasForeignKey(e => e.ReportId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(r => r.Notes).WithOne().HasForeignKey(n => n.ReportId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.RejectionReason).HasMaxLength(16);
        builder.Property(r => r.DuplicateOfCode).HasMaxLength(Report.CodeLength);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasIndex(r => r.DueAt);
        builder.HasIndex(r => new { r.Latitude, r.Longitude }); // the duplicate check's bounding box
        builder.Property(r => r.WebhookUrl).HasMaxLength(Webhooks.WebhookDelivery.MaxUrl);
        builder.Property(r => r.WebhookSecret).HasMaxLength(64);
        builder.Property(r => r.SearchText).HasMaxLength(Inbox.ReportSearch.MaxLength);
        // Only the reports not yet folded (none once the start-up backfill ran): the backfill's check is instant.
        builder.HasIndex(r => r.Id, "IX_Reports_SearchText_Missing").HasFilter("\"SearchText\" IS NULL");
        builder.HasIndex(r => new { r.SubmittedAt, r.Code }); // the inbox's order and its keyset cursor
    }
}

internal sealed class ReportNoteConfiguration : IEntityTypeConfiguration<ReportNote>
{
    public void Configure(EntityTypeBuilder<ReportNote> builder)
    {
        builder.ToTable("ReportNotes");
        builder.Property(n => n.Author).HasMaxLength(256);
        builder.Property(n => n.Text).HasMaxLength(ReportRules.MaxDescription);
    }
}

internal sealed class CategoryCorrectionConfiguration : IEntityTypeConfiguration<CategoryCorrection>
{
    public void Configure(EntityTypeBuilder<CategoryCorrection> builder)
    {
        builder.ToTable("CategoryCorrections");
        builder.Property(c => c.Description).HasMaxLength(ReportRules.MaxDescription);
        builder.Property(c => c.FromCategory).HasMaxLength(32);
        builder.Property(c => c.ToCategory).HasMaxLength(32);
        builder.Property(c => c.By).HasMaxLength(256);
        builder.HasIndex(c => c.At);
    }
}

internal sealed class ReportEventConfiguration : IEntityTypeConfiguration<ReportEvent>
{
    public void Configure(EntityTypeBuilder<ReportEvent> builder)
    {
        builder.ToTable("ReportEvents");
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.PublicNote).HasMaxLength(ReportRules.MaxDescription);
        builder.HasIndex(e => new { e.ReportId, e.At });
    }
}
