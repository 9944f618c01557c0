using CitizenSensor.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Declarations;

public enum FollowUpStatus : byte
{
    Open = 1,
    Closed = 2,
}

/// <summary>What the health officer found out. <see cref="NotReached"/> keeps the task open for another try.</summary>
public enum FollowUpOutcome : byte
{
    Reached = 1,
    NotReached = 2,
    AdvisedTesting = 3,
    TestedNegative = 4,
    TestedPositive = 5,
    NoAction = 6,
}

/// <summary>
/// A person to call: their declaration reported fever, cough or difficulty breathing, or an exposure; or tracing found
/// them at a case's venue (an F1, or an F2 through one). Goes to the HealthOfficer of the ward where the person lives
/// (their declaration's), or else of the venue's (scoped by <see cref="UnitPath"/>, so the district's officers see it
/// too); past <see cref="DueAt"/> it is escalated to the district. One open task per person: later declarations and
/// exposures join it.
/// </summary>
public sealed class FollowUpTask : IUnitScoped
{
    public long Id { get; set; }

    public required byte[] PersonHash { get; set; }

    /// <summary>The person's latest declaration that needs following up (its contact details are in there), if any.</summary>
    public long? DeclarationId { get; set; }

    /// <summary>
    /// For a contact found by tracing: the check-in that placed them at the case's venue. Its sealed phone (and name, if
    /// given) is how the officer reaches someone who never declared.
    /// </summary>
    public long? ContactCheckInId { get; set; }

    /// <summary>1 when tracing found the person as an F1 (met a case), 2 as an F2 (met an F1 later); null for a declaration's task alone.</summary>
    public byte? Generation { get; set; }

    /// <summary>The quarantine (F1) or home monitoring (F2) the rules give: from the day of the last contact to the end of this day.</summary>
    public DateOnly? QuarantineFrom { get; set; }

    public DateOnly? QuarantineUntil { get; set; }

    public required string WardCode { get; set; }

    public required string DistrictCode { get; set; }

    public required string UnitPath { get; set; }

    public Symptoms Symptoms { get; set; }

    public Exposures Exposures { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public FollowUpStatus Status { get; set; } = FollowUpStatus.Open;

    /// <summary>Set when the task passed its due time while open: the district's health officers take it on.</summary>
    public DateTimeOffset? EscalatedAt { get; set; }

    public FollowUpOutcome? Outcome { get; set; }

    public string? Note { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Optimistic concurrency: two officers recording at once do not overwrite each other.</summary>
    public int Revision { get; set; }
}

internal sealed class FollowUpTaskConfiguration : IEntityTypeConfiguration<FollowUpTask>
{
    public void Configure(EntityTypeBuilder<FollowUpTask> builder)
    {
        builder.ToTable("FollowUpTasks");
        builder.Property(t => t.PersonHash).HasMaxLength(32);
        builder.Property(t => t.WardCode).HasMaxLength(16);
        builder.Property(t => t.DistrictCode).HasMaxLength(16);
        builder.Property(t => t.UnitPath).HasMaxLength(256);
        builder.Property(t => t.Note).HasMaxLength(1000);
        builder.Property(t => t.UpdatedBy).HasMaxLength(256);
        builder.Property(t => t.Revision).IsConcurrencyToken();
        // One open task per person, enforced by the database (the writer's ON CONFLICT … WHERE relies on it).
        builder.HasIndex(t => t.PersonHash).IsUnique().HasFilter("\"Status\" = 1");
        builder.HasIndex(t => new { t.Status, t.DueAt });
        builder.HasIndex(t => t.CreatedAt);
    }
}
