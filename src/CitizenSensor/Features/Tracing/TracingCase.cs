using CitizenSensor.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Tracing;

public enum CaseStatus : byte
{
    Active = 1,
    Recovered = 2,
    Deceased = 3,
    MovedAway = 4,
}

public enum IsolationPlace : byte
{
    Home = 1,
    Facility = 2,
}

/// <summary>
/// A confirmed case (F0), opened by a health officer. The identity (phone, name, citizen ID) is sealed at rest as
/// declarations are; <see cref="PersonHash"/> is the phone's keyed hash, the one check-ins carry, so tracing finds the
/// case's check-ins without opening anything. Scoped to the ward where the person isolates.
/// </summary>
public sealed class TracingCase : IUnitScoped
{
    public long Id { get; set; }

    public required byte[] PersonHash { get; set; }

    public required byte[] SealedPhone { get; set; }

    public required byte[] SealedName { get; set; }

    public byte[]? SealedCitizenId { get; set; }

    public CaseStatus Status { get; set; } = CaseStatus.Active;

    public DateOnly? OnsetDate { get; set; }

    public DateOnly TestDate { get; set; }

    public IsolationPlace Isolation { get; set; }

    public string? FacilityName { get; set; }

    /// <summary>The ward (or commune) where the person isolates, in the units of the test day.</summary>
    public required string WardCode { get; set; }

    /// <summary>The ward's handling unit (a district in 2021, the commune itself in 2025), for the figures by district.</summary>
    public string DistrictCode { get; set; } = "";

    public required string UnitPath { get; set; }

    /// <summary>The city's GSO code, whose exposure rules apply.</summary>
    public required string CityCode { get; set; }

    /// <summary>The declaration the case was opened from (directly or through its follow-up task), if any.</summary>
    public long? DeclarationId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset? TracedAt { get; set; }

    /// <summary>When the status, the isolation or its ward last changed, and by whom.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }

    /// <summary>Optimistic concurrency: two officers updating at once do not overwrite each other.</summary>
    public int Revision { get; set; }

    /// <summary>The version of the exposure rules the latest trace used.</summary>
    public int? RuleVersion { get; set; }

    /// <summary>The first day whose check-ins count: the onset (or, without one, the test) day, less the look-back.</summary>
    public DateOnly FirstExposedDay(ExposureRules rules) => (OnsetDate ?? TestDate).AddDays(-rules.LookBackDays);
}

internal sealed class TracingCaseConfiguration : IEntityTypeConfiguration<TracingCase>
{
    public void Configure(EntityTypeBuilder<TracingCase> builder)
    {
        builder.ToTable("TracingCases");
        builder.Property(c => c.PersonHash).HasMaxLength(32);
        builder.Property(c => c.SealedPhone).HasMaxLength(256);
        builder.Property(c => c.SealedName).HasMaxLength(1024);
        builder.Property(c => c.SealedCitizenId).HasMaxLength(256);
        builder.Property(c => c.FacilityName).HasMaxLength(200);
        builder.Property(c => c.WardCode).HasMaxLength(16);
        builder.Property(c => c.UnitPath).HasMaxLength(256);
        builder.Property(c => c.DistrictCode).HasMaxLength(16);
        builder.Property(c => c.CityCode).HasMaxLength(16);
        builder.Property(c => c.CreatedBy).HasMaxLength(200);
        builder.Property(c => c.UpdatedBy).HasMaxLength(200);
        builder.Property(c => c.Revision).IsConcurrencyToken();
        builder.HasIndex(c => new { c.PersonHash, c.TestDate });
        builder.HasIndex(c => c.PersonHash);
        builder.HasIndex(c => c.UnitPath);
    }
}

/// <summary>
/// A person found at a case's venue in an overlapping window (F1), with the strongest exposure kept when they met the
/// case at several venues or times. No identity is copied: the contact's check-in holds it, sealed.
/// Scoped to the venue's ward.
/// </summary>
public sealed class Exposure : IUnitScoped
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    /// <summary>1 for F1 (met the case), 2 for F2 (met an F1 later).</summary>
    public byte Generation { get; set; } = 1;

    public required byte[] PersonHash { get; set; }

    public long VenueId { get; set; }

    public long SourceCheckInId { get; set; }

    public long ContactCheckInId { get; set; }

    public DateTimeOffset From { get; set; }

    public DateTimeOffset To { get; set; }

    public double OverlapMinutes { get; set; }

    public double Score { get; set; }

    public bool HighRisk { get; set; }

    public int RuleVersion { get; set; }

    public required string WardCode { get; set; }

    public required string UnitPath { get; set; }

    public DateTimeOffset FoundAt { get; set; }

    /// <summary>
    /// For an F1, once 24 hours have passed since it was found: whether its follow-up task was closed with the person
    /// reached within them (the figure "F1 reached within 24 hours"). Null until then.
    /// </summary>
    public bool? ReachedInTime { get; set; }

    /// <summary>The follow-up task this exposure raised or joined: the health officer's call to the person.</summary>
    public long? FollowUpId { get; set; }

    internal Declarations.FollowUpTask? FollowUp { get; set; }
}

internal sealed class ExposureConfiguration : IEntityTypeConfiguration<Exposure>
{
    public void Configure(EntityTypeBuilder<Exposure> builder)
    {
        builder.ToTable("Exposures");
        builder.Property(e => e.PersonHash).HasMaxLength(32);
        builder.Property(e => e.WardCode).HasMaxLength(16);
        builder.Property(e => e.UnitPath).HasMaxLength(256);
        builder.HasIndex(e => new { e.CaseId, e.PersonHash }).IsUnique();
        builder.HasOne(e => e.FollowUp).WithMany().HasForeignKey(e => e.FollowUpId).OnDelete(DeleteBehavior.SetNull); // the task's retention leaves the exposure
        builder.HasIndex(e => e.PersonHash);
        builder.HasIndex(e => e.UnitPath);
        builder.HasIndex(e => e.FoundAt);
    }
}
