using CitizenSensor.Data;
using CitizenSensor.Features.Declarations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Tracing;

/// <summary>
/// The tracing figures of a ward on a reporting day, under each day definition: cases opened (in the ward where they
/// isolate), F1s and F2s found (in the venue's ward), and F1s reached within 24 hours (counted once the 24 hours have
/// passed). Written with the change that makes them, in the same transaction; they outlive the cases and exposures.
/// </summary>
public sealed class TracingDay
{
    public ReportingDay Definition { get; set; }

    public DateOnly Day { get; set; }

    public required string WardCode { get; set; }

    public required string DistrictCode { get; set; }

    public required string UnitPath { get; set; }

    public int Cases { get; set; }

    public int F1 { get; set; }

    public int F2 { get; set; }

    public int F1Reached { get; set; }
}

internal sealed class TracingDayConfiguration : IEntityTypeConfiguration<TracingDay>
{
    public void Configure(EntityTypeBuilder<TracingDay> builder)
    {
        builder.ToTable("TracingDays");
        builder.HasKey(d => new { d.Definition, d.Day, d.WardCode });
        builder.Property(d => d.WardCode).HasMaxLength(16);
        builder.Property(d => d.DistrictCode).HasMaxLength(16);
        builder.Property(d => d.UnitPath).HasMaxLength(256);
        builder.HasIndex(d => new { d.Definition, d.Day, d.UnitPath });
    }
}

/// <summary>What one change adds to the day figures, gathered by ward and day, then written as upserts (<see cref="TracingTally.WriteAsync"/>).</summary>
internal sealed class TracingTally
{
    private readonly record struct Key(DateOnly Day, string WardCode);

    private sealed class Counts(string districtCode, string unitPath)
    {
        public string DistrictCode { get; } = districtCode;

        public string UnitPath { get; } = unitPath;

        public int Cases { get; set; }

        public int F1 { get; set; }

        public int F2 { get; set; }

        public int F1Reached { get; set; }
    }

    private readonly Dictionary<(ReportingDay, Key), Counts> _counts = [];

    public bool IsEmpty => _counts.Count == 0;

    public void Case(DateTimeOffset at, string ward, string district, string path, int delta = 1) => Each(at, ward, district, path, c => c.Cases += delta);

    public void Contact(DateTimeOffset at, byte generation, string ward, string district, string path, int delta = 1) =>
        Each(at, ward, district, path, c => _ = generation == 1 ? c.F1 += delta : c.F2 += delta);

    public void Reached(DateTimeOffset at, string ward, string district, string path) => Each(at, ward, district, path, c => c.F1Reached++);

    private void Each(DateTimeOffset at, string ward, string district, string path, Action<Counts> add)
    {
        foreach (var definition in new[] { ReportingDay.Calendar, ReportingDay.NoonToNoon })
        {
            var key = (definition, new Key(Declaration.ReportingDayOf(at, definition), ward));
            if (!_counts.TryGetValue(key, out var counts))
            {
                _counts[key] = counts = new Counts(district, path);
            }

            add(counts);
        }
    }

    /// <summary>Adds the counts to the day figures, one upsert per ward and day; call inside the change's transaction.</summary>
    public async Task WriteAsync(CitizenDb db, CancellationToken cancellationToken)
    {
        foreach (var ((definition, key), c) in _counts.OrderBy(k => k.Key.Item1).ThenBy(k => k.Key.Item2.Day).ThenBy(k => k.Key.Item2.WardCode, StringComparer.Ordinal))
        {
            var def = (byte)definition;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "TracingDays" ("Definition", "Day", "WardCode", "DistrictCode", "UnitPath", "Cases", "F1", "F2", "F1Reached")
                VALUES ({def}, {key.Day}, {key.WardCode}, {c.DistrictCode}, {c.UnitPath}, {c.Cases}, {c.F1}, {c.F2}, {c.F1Reached})
                ON CONFLICT ("Definition", "Day", "WardCode") DO UPDATE SET
                    "Cases" = "TracingDays"."Cases" + excluded."Cases",
                    "F1" = "TracingDays"."F1" + excluded."F1",
                    "F2" = "TracingDays"."F2" + excluded."F2",
                    "F1Reached" = "TracingDays"."F1Reached" + excluded."F1Reached"
                """, cancellationToken);
        }

        _counts.Clear();
    }
}
