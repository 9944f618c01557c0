using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Venues;

public enum CheckInSource : byte
{
    /// <summary>The resident scanned the venue's QR and checked in on the page.</summary>
    Page = 1,

    /// <summary>An app or integration called the API.</summary>
    Api = 2,

    /// <summary>The venue's staff scanned the resident's personal QR.</summary>
    Scanner = 3,

    /// <summary>Sent later in a batch by a scanner that was offline.</summary>
    Batch = 4,
}

/// <summary>
/// A person at a venue at a time. The phone is kept encrypted (AES-GCM) next to a keyed hash (HMAC-SHA-256) that
/// finds a person's check-ins without decrypting anything; the name is optional and encrypted too. One row per
/// person, venue and minute (<see cref="Minute"/>): a double scan counts once. Deleted after the retention window.
/// </summary>
public sealed class CheckIn
{
    public long Id { get; set; }

    public long VenueId { get; set; }

    public required byte[] PhoneHash { get; set; }

    public required byte[] Phone { get; set; }

    public byte[]? Name { get; set; }

    /// <summary>An e-mail the resident gave for health notices, sealed; most check-ins have none.</summary>
    public byte[]? Email { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>Minutes since 1970 (UTC) of <see cref="At"/>: the duplicate window.</summary>
    public long Minute { get; set; }

    public DateTimeOffset? CheckOutAt { get; set; }

    public CheckInSource Source { get; set; }

    public static long MinuteOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / 60;
}

/// <summary>
/// Scans per venue per local day, kept in the same transaction as the check-ins. The figures read these instead of
/// the check-ins, so they cost the same over ten million check-ins as over ten, and they survive the retention job.
/// </summary>
public sealed class VenueDay
{
    public long VenueId { get; set; }

    public DateOnly Day { get; set; }

    public int Scans { get; set; }

    /// <summary>The venue's district when the day's first scan was counted: the per-district figures need no join.</summary>
    public string DistrictCode { get; set; } = "";

    /// <summary>The venue's ward when the day's first scan was counted.</summary>
    public string WardCode { get; set; } = "";
}

/// <summary>
/// Scans per ward per local day, kept with <see cref="VenueDay"/> in the same transaction: the per-district figures,
/// the 30-day series and the wards without scans read a few thousand of these rather than a million venue-days.
/// </summary>
public sealed class WardDay
{
    public required string WardCode { get; set; }

    public DateOnly Day { get; set; }

    public required string DistrictCode { get; set; }

    public int Scans { get; set; }
}

internal sealed class CheckInConfiguration : IEntityTypeConfiguration<CheckIn>
{
    public void Configure(EntityTypeBuilder<CheckIn> builder)
    {
        builder.ToTable("CheckIns");
        builder.Property(c => c.PhoneHash).HasMaxLength(32);
        builder.Property(c => c.Phone).HasMaxLength(64);
        builder.Property(c => c.Name).HasMaxLength(512);
        builder.Property(c => c.Email).HasMaxLength(512);
        // No foreign key to Venues on purpose: it would cost every insert a look-up and one more index (venues are
        // closed, never deleted; the writer takes venue ids from the database).
        // The duplicate rule, enforced by the database (INSERT … ON CONFLICT DO NOTHING); led by the phone's hash so
        // that the same index finds a person's check-ins. One random-order index is what each insert pays for; the
        // others grow at their end (time) or at each venue's end (venue and time).
        builder.HasIndex(c => new { c.PhoneHash, c.VenueId, c.Minute }).IsUnique();
        builder.HasIndex(c => c.At);
        // Tracing asks who else was at a venue in a window: without this index that read walks every venue's
        // check-ins of the window (see docs/benchmarks.md, "Tracing over fifty million check-ins").
        builder.HasIndex(c => new { c.VenueId, c.At });
    }
}

internal sealed class VenueDayConfiguration : IEntityTypeConfiguration<VenueDay>
{
    public void Configure(EntityTypeBuilder<VenueDay> builder)
    {
        builder.ToTable("VenueDays");
        builder.HasKey(d => new { d.VenueId, d.Day });
        builder.HasOne<Venue>().WithMany().HasForeignKey(d => d.VenueId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(d => d.DistrictCode).HasMaxLength(16);
        builder.Property(d => d.WardCode).HasMaxLength(16);
        // The active-venue count reads days in a range, by district or ward, from this index alone (no count in it, so
        // the writer's updates of the count leave it alone).
        builder.HasIndex(d => new { d.Day, d.DistrictCode, d.WardCode, d.VenueId });
    }
}

internal sealed class WardDayConfiguration : IEntityTypeConfiguration<WardDay>
{
    public void Configure(EntityTypeBuilder<WardDay> builder)
    {
        builder.ToTable("WardDays");
        builder.HasKey(d => new { d.WardCode, d.Day });
        builder.Property(d => d.WardCode).HasMaxLength(16);
        builder.Property(d => d.DistrictCode).HasMaxLength(16);
        builder.HasIndex(d => new { d.Day, d.DistrictCode });
    }
}
