using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>
/// One reform's units, valid over a period: the 2021 units (with districts) until 30 June 2025, the units of the
/// 1 July 2025 reform (communes under the city) from then on. Records are placed in the set valid at their time
/// and keep it; a look-up without a date uses today's set (ADR 0011).
/// </summary>
public sealed class UnitSet
{
    /// <summary>The set shipped first, whose units' keys are their bare codes (records stored before sets existed name them so).</summary>
    public const string FirstId = "2021";

    /// <summary>The reform's name: "2021", "2025".</summary>
    public required string Id { get; set; }

    /// <summary>What people call it: "Đơn vị hành chính 2021 (có quận, huyện)".</summary>
    public required string Name { get; set; }

    /// <summary>The first day (in the city's calendar) its units apply; null when it applies from the start of records.</summary>
    public DateOnly? ValidFrom { get; set; }

    /// <summary>The last day its units apply; null while it is current.</summary>
    public DateOnly? ValidTo { get; set; }

    /// <summary>Where the units came from, for the units browser and NOTICE.</summary>
    public string? Source { get; set; }

    /// <summary>
    /// The depth (1 = the city) of the units that handle reports: the deepest that has boundaries (districts in
    /// 2021, communes in 2025). Set by the import from the data, never assumed.
    /// </summary>
    public int HandlingDepth { get; set; }

    /// <summary>What a unit's code becomes as its key: "" for the first set (keys are codes), "@2025" after.</summary>
    public required string KeySuffix { get; set; }

    public string KeyOf(string code) => code + KeySuffix;

    public bool ValidOn(DateOnly day) => Covers(ValidFrom, ValidTo, day);

    /// <summary>Whether a period (open at either end when null) holds the day: the one rule for a set's dates.</summary>
    public static bool Covers(DateOnly? from, DateOnly? to, DateOnly day) => (from is null || from <= day) && (to is null || day <= to);

    public static string SuffixFor(string setId) => setId == FirstId ? "" : "@" + setId;
}

/// <summary>
/// An old unit's area going (wholly or in part) into a unit of a later set, from the reform's mapping: Phường Trúc
/// Bạch (2021) → Phường Ba Đình (2025), whole; Phường Đa Kao → Phường Sài Gòn and Phường Tân Định, in part.
/// </summary>
public sealed class UnitSuccession
{
    public required string FromKey { get; set; }

    public required string ToKey { get; set; }

    /// <summary>The whole old unit went into the new one (else part of it did, and a point decides).</summary>
    public bool Whole { get; set; }
}

internal sealed class UnitSetConfiguration : IEntityTypeConfiguration<UnitSet>
{
    public void Configure(EntityTypeBuilder<UnitSet> builder)
    {
        builder.ToTable("UnitSets");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(16);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Source).HasMaxLength(500);
        builder.Property(s => s.KeySuffix).HasMaxLength(17);
    }
}

internal sealed class UnitSuccessionConfiguration : IEntityTypeConfiguration<UnitSuccession>
{
    public void Configure(EntityTypeBuilder<UnitSuccession> builder)
    {
        builder.ToTable("UnitSuccessions");
        builder.HasKey(s => new { s.FromKey, s.ToKey });
        builder.Property(s => s.FromKey).HasMaxLength(16);
        builder.Property(s => s.ToKey).HasMaxLength(16);
        builder.HasIndex(s => s.ToKey);
    }
}
