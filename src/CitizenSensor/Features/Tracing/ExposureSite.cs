using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Tracing;

/// <summary>
/// A place of exposure: a venue where a case was, and the window in which it was risky (the case's stay, with the
/// aerosol tail under the weighted rule). One per check-in of the case, kept by each trace. It names the venue and the
/// time, never the case; a health officer may publish it, with advice, on the public list (like NZ's locations of
/// interest). Scoped to the venue's ward.
/// </summary>
public sealed class ExposureSite : Staff.IUnitScoped
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    public long SourceCheckInId { get; set; }

    public long VenueId { get; set; }

    public DateTimeOffset From { get; set; }

    public DateTimeOffset To { get; set; }

    /// <summary>The city day of <see cref="From"/>.</summary>
    public DateOnly Day { get; set; }

    /// <summary>The people this stay exposed (each person counted at the stay of their strongest exposure).</summary>
    public int People { get; set; }

    public required string WardCode { get; set; }

    public required string DistrictCode { get; set; }

    public required string UnitPath { get; set; }

    public DateTimeOffset FoundAt { get; set; }

    /// <summary>When a health officer put it on the public list, and by whom; null while it is not public.</summary>
    public DateTimeOffset? PublishedAt { get; set; }

    public string? PublishedBy { get; set; }

    /// <summary>What the public list tells the people who were there; the standard advice when null.</summary>
    public string? Advice { get; set; }
}

internal sealed class ExposureSiteConfiguration : IEntityTypeConfiguration<ExposureSite>
{
    public void Configure(EntityTypeBuilder<ExposureSite> builder)
    {
        builder.ToTable("ExposureSites");
        builder.Property(s => s.WardCode).HasMaxLength(16);
        builder.Property(s => s.DistrictCode).HasMaxLength(16);
        builder.Property(s => s.UnitPath).HasMaxLength(256);
        builder.Property(s => s.PublishedBy).HasMaxLength(200);
        builder.Property(s => s.Advice).HasMaxLength(ExposureSites.MaxAdvice);
        builder.HasIndex(s => new { s.CaseId, s.SourceCheckInId }).IsUnique();
        builder.HasIndex(s => new { s.VenueId, s.From });
        builder.HasIndex(s => new { s.Day, s.UnitPath });
        builder.HasIndex(s => s.PublishedAt);
    }
}
