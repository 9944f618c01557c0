using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.IO;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>A set as an import names it: its id, and its name and dates when the import gives them.</summary>
public sealed record UnitSetRecord(string Id, string? Name = null, DateOnly? ValidFrom = null, DateOnly? ValidTo = null, string? Source = null);

/// <summary>
/// What an import changed, for the operator: units added, renamed, moved (re-parented), unchanged; boundaries read,
/// of which repaired (invalid as published: self-intersecting or collinear rings); old → new links read from the
/// reform's mapping whose both ends are known.
/// </summary>
public sealed record UnitImportResult(string Set, int Added, int Renamed, int Moved, int Unchanged, int Boundaries, int Repaired, int Successions)
{
    public int Updated => Renamed + Moved;

    public override string ToString() =>
        $"set {Set}: {Added} added, {Renamed} renamed, {Moved} moved, {Unchanged} unchanged, {Boundaries} with boundaries ({Repaired} repaired), {Successions} successions";
}

/// <summary>
/// Loads units into a set (ADR 0011): adds new codes, renames and re-parents known ones inside the same set, and never
/// deletes nor touches another set, so records keep the units they were placed in. Invalid boundaries are repaired
/// (NetTopologySuite's <see cref="GeometryFixer"/>, its make-valid), and the set's handling depth is taken from the data.
/// </summary>
public sealed partial class UnitImporter(CitizenDb db, JurisdictionCatalog catalog, TimeProvider time, ILogger<UnitImporter> logger)
{
    public static string ShippedDataFolder => Path.Combine(AppContext.BaseDirectory, "data", "vn-admin");

    public static string Shipped2025Folder => Path.Combine(AppContext.BaseDirectory, "data", "vn-admin-2025");

    /// <summary>The 2021 units (with districts), valid until the reform.</summary>
    public static readonly UnitSetRecord Set2021 = new(UnitSet.FirstId, "Đơn vị hành chính 2021 (tỉnh, huyện, xã)", null, new DateOnly(2025, 6, 30),
        "General Statistics Office; gis.chinhphu.vn; via daohoangson/dvhcvn (GPL-3.0)");

    /// <summary>The units of the 1 July 2025 reform (communes under the city).</summary>
    public static readonly UnitSetRecord Set2025 = new("2025", "Đơn vị hành chính từ 1/7/2025 (tỉnh, xã)", new DateOnly(2025, 7, 1), null,
        "General Statistics Office; sapnhap.bando.com.vn; via thanglequoc/vietnamese-provinces-database (MIT); mapping dvhcvn/20250701 (MIT)");

    /// <summary>Loads each shipped set (Hà Nội and Hồ Chí Minh City) that holds no unit yet: on a new database both, after an upgrade the new one.</summary>
    public async Task<bool> SeedShippedUnitsAsync(CancellationToken cancellationToken)
    {
        var loaded = await db.Units.IgnoreQueryFilters().Select(u => u.SetId).Distinct().ToListAsync(cancellationToken);
        var seeded = false;
        if (!loaded.Contains(Set2021.Id))
        {
            var folder = ShippedDataFolder;
            var result = await ImportFilesAsync(Set2021, Path.Combine(folder, "units-01-79.json"),
                [Path.Combine(folder, "gis-01.json"), Path.Combine(folder, "gis-79.json")], null, cancellationToken);
            LogSeeded(logger, result);
            seeded = true;
        }

        if (!loaded.Contains(Set2025.Id))
        {
            var folder = Shipped2025Folder;
            var result = await ImportFilesAsync(Set2025, Path.Combine(folder, "units-2026-07-25.json"),
                [Path.Combine(folder, "boundaries-01.geojson.gz"), Path.Combine(folder, "boundaries-79.geojson.gz")],
                Path.Combine(folder, "merges.json.gz"), cancellationToken, onlyWithBoundaries: true);
            LogSeeded(logger, result);
            seeded = true;
        }

        return seeded;
    }

    /// <summary>The set valid today by its dates, else the latest: where an import without <c>--set</c> goes.</summary>
    public async Task<string> CurrentSetIdAsync(CancellationToken cancellationToken)
    {
        var sets = await db.UnitSets.AsNoTracking().ToListAsync(cancellationToken);
        var today = CityTime.DayOf(time.GetUtcNow());
        return (sets.FirstOrDefault(s => s.ValidOn(today)) ?? sets.MaxBy(s => s.ValidFrom ?? DateOnly.MinValue))?.Id ?? UnitSet.FirstId;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded shipped units: {Result}")]
    private static partial void LogSeeded(ILogger logger, UnitImportResult result);

    /// <summary>
    /// Reads and imports a units file, boundary files or folders, and the reform's mapping; with
    /// <paramref name="onlyWithBoundaries"/>, only the provinces whose outline the boundary files hold (the shipped units list every province).
    /// </summary>
    public async Task<UnitImportResult> ImportFilesAsync(UnitSetRecord set, string unitsFile, IEnumerable<string> boundaryPaths, string? mappingFile, CancellationToken cancellationToken, bool onlyWithBoundaries = false)
    {
        IReadOnlyList<UnitRecord> units;
        await using (var stream = UnitFile.Open(unitsFile))
        {
            units = UnitFile.ReadUnits(stream);
        }

        var boundaries = new Dictionary<string, Geometry>(StringComparer.Ordinal);
        foreach (var file in boundaryPaths.SelectMany(UnitFile.BoundaryFiles))
        {
            await using var stream = UnitFile.Open(file);
            foreach (var (code, geometry) in UnitFile.ReadBoundaries(stream))
            {
                boundaries[code] = geometry;
            }
        }

        if (onlyWithBoundaries)
        {
            var provinces = units.Where(u => u.ParentCode is null && boundaries.ContainsKey(u.Code)).Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
            units = [.. units.Where(u => provinces.Contains(u.ParentCode ?? u.Code))];
        }

        IReadOnlyList<SuccessionRecord> successions = [];
        if (mappingFile is not null)
        {
            await using var stream = UnitFile.Open(mappingFile);
            successions = UnitFile.ReadSuccessions(stream);
        }

        return await ImportAsync(set, units, boundaries, successions, cancellationToken);
    }

    /// <summary>Imports units into a set, with the successions from the set before it (GSO codes of old units → codes of this set's).</summary>
    public async Task<UnitImportResult> ImportAsync(UnitSetRecord setRecord, IReadOnlyList<UnitRecord> units, IReadOnlyDictionary<string, Geometry> boundaries,
        IReadOnlyList<SuccessionRecord> successions, CancellationToken cancellationToken)
    {
        var set = await UpsertSetAsync(setRecord, cancellationToken);
        var existing = await db.Units.IgnoreQueryFilters().Where(u => u.SetId == set.Id).ToDictionaryAsync(u => u.GsoCode, StringComparer.Ordinal, cancellationToken);
        var paths = existing.Values.ToDictionary(u => u.GsoCode, u => u.UnitPath, StringComparer.Ordinal);
        var writer = new WKBWriter();
        int added = 0, renamed = 0, moved = 0, unchanged = 0, withBoundary = 0, repaired = 0;

        foreach (var record in units)
        {
            string? parentPath = null;
            if (record.ParentCode is not null && !paths.TryGetValue(record.ParentCode, out parentPath))
            {
                throw new InvalidDataException($"Unit {record.Code} names parent {record.ParentCode}, which is neither in the file before it nor in set {set.Id}.");
            }

            var key = set.KeyOf(record.Code);
            var path = HandlingUnit.PathOf(parentPath, key);
            paths[record.Code] = path;
            byte[]? boundary = null;
            if (boundaries.TryGetValue(record.Code, out var geometry))
            {
                var (valid, wasRepaired) = Valid(geometry);
                repaired += wasRepaired ? 1 : 0;
                boundary = writer.Write(valid);
                withBoundary++;
            }

            if (existing.TryGetValue(record.Code, out var unit))
            {
                var isRenamed = unit.Name != record.Name || unit.Type != record.Type;
                var isMoved = unit.UnitPath != path;
                renamed += isRenamed ? 1 : 0;
                moved += isMoved ? 1 : 0;
                unchanged += isRenamed || isMoved ? 0 : 1;
                unit.Name = record.Name;
                unit.Type = record.Type;
                unit.Level = path.Count(c => c == '/') - 1;
                unit.ParentCode = record.ParentCode is null ? null : set.KeyOf(record.ParentCode);
                unit.UnitPath = path;
                unit.SearchName = VietnameseText.Fold(record.Name);
                unit.Boundary = boundary ?? unit.Boundary;
            }
            else
            {
                unit = new HandlingUnit
                {
                    Code = key,
                    GsoCode = record.Code,
                    SetId = set.Id,
                    Name = record.Name,
                    Type = record.Type,
                    Level = path.Count(c => c == '/') - 1,
                    ParentCode = record.ParentCode is null ? null : set.KeyOf(record.ParentCode),
                    UnitPath = path,
                    SearchName = VietnameseText.Fold(record.Name),
                    Boundary = boundary,
                };
                db.Units.Add(unit);
                existing[record.Code] = unit;
                added++;
            }
        }

        set.HandlingDepth = HandlingDepth(existing.Values.Select(u => (u.Level, u.Boundary is not null)));
        var linked = await AddSuccessionsAsync(set, successions, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        catalog.Reset();
        return new UnitImportResult(set.Id, added, renamed, moved, unchanged, withBoundary, repaired, linked);
    }

    /// <summary>The deepest depth below the city whose units have boundaries (they are what points resolve to), else the deepest there is.</summary>
    internal static int HandlingDepth(IEnumerable<(int Level, bool Bounded)> units)
    {
        var all = units.ToList();
        var top = all.Count == 0 ? 1 : all.Min(u => u.Level);
        var bounded = all.Where(u => u.Bounded && u.Level > top).Select(u => u.Level).DefaultIfEmpty(0).Max();
        return bounded > 0 ? bounded : all.Select(u => u.Level).DefaultIfEmpty(top).Max();
    }

    /// <summary>The boundary as it is when valid, else repaired (self-intersections, collinear rings).</summary>
    public static (Geometry Geometry, bool Repaired) Valid(Geometry geometry)
    {
        if (geometry.IsValid)
        {
            return (geometry, false);
        }

        var fixedGeometry = GeometryFixer.Fix(geometry);
        fixedGeometry.SRID = geometry.SRID;
        return fixedGeometry.IsEmpty
            ? throw new InvalidDataException("A boundary is invalid and nothing of it is left once repaired.")
            : (fixedGeometry, true);
    }

    private async Task<UnitSet> UpsertSetAsync(UnitSetRecord record, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(record.Id) || record.Id.Length > 16 || !record.Id.All(char.IsAsciiLetterOrDigit))
        {
            throw new InvalidDataException($"A set's id is 1 to 16 letters and digits ('2025'), not '{record.Id}'.");
        }

        var set = await db.UnitSets.SingleOrDefaultAsync(s => s.Id == record.Id, cancellationToken);
        if (set is null)
        {
            set = new UnitSet { Id = record.Id, Name = record.Name ?? $"Đơn vị hành chính {record.Id}", KeySuffix = UnitSet.SuffixFor(record.Id) };
            db.UnitSets.Add(set);
        }

        set.Name = record.Name ?? set.Name;
        set.ValidFrom = record.ValidFrom ?? set.ValidFrom;
        set.ValidTo = record.ValidTo ?? set.ValidTo;
        set.Source = record.Source ?? set.Source;
        if (set.ValidFrom > set.ValidTo)
        {
            throw new InvalidDataException($"Set {set.Id} would end ({set.ValidTo:yyyy-MM-dd}) before it starts ({set.ValidFrom:yyyy-MM-dd}).");
        }

        var others = await db.UnitSets.Where(s => s.Id != set.Id).ToListAsync(cancellationToken);
        if (others.FirstOrDefault(o => Overlap(o, set)) is { } overlapping)
        {
            throw new InvalidDataException($"Set {set.Id} ({Period(set)}) would overlap set {overlapping.Id} ({Period(overlapping)}): give it dates (--from, --to) that do not.");
        }

        return set;
    }

    private static bool Overlap(UnitSet a, UnitSet b) =>
        (a.ValidFrom ?? DateOnly.MinValue) <= (b.ValidTo ?? DateOnly.MaxValue) && (b.ValidFrom ?? DateOnly.MinValue) <= (a.ValidTo ?? DateOnly.MaxValue);

    private static string Period(UnitSet set) => $"{set.ValidFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "…"} – {set.ValidTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "…"}";

    /// <summary>Links this set's units to the units of the set before it that went into them; links already known are kept.</summary>
    private async Task<int> AddSuccessionsAsync(UnitSet set, IReadOnlyList<SuccessionRecord> successions, CancellationToken cancellationToken)
    {
        if (successions.Count == 0)
        {
            return 0;
        }

        var earlier = (await db.UnitSets.Where(s => s.Id != set.Id).ToListAsync(cancellationToken))
            .Where(s => (s.ValidFrom ?? DateOnly.MinValue) < (set.ValidFrom ?? DateOnly.MinValue))
            .MaxBy(s => s.ValidFrom ?? DateOnly.MinValue);
        if (earlier is null)
        {
            return 0;
        }

        var oldKeys = (await db.Units.IgnoreQueryFilters().Where(u => u.SetId == earlier.Id).Select(u => u.Code).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var newKeys = db.Units.Local.Where(u => u.SetId == set.Id).Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var known = (await db.UnitSuccessions.Where(s => newKeys.Contains(s.ToKey)).ToListAsync(cancellationToken))
            .ToDictionary(s => (s.FromKey, s.ToKey));
        var linked = 0;
        foreach (var succession in successions)
        {
            var from = earlier.KeyOf(succession.FromCode);
            var to = set.KeyOf(succession.ToCode);
            if (!oldKeys.Contains(from) || !newKeys.Contains(to))
            {
                continue;
            }

            if (known.TryGetValue((from, to), out var link))
            {
                link.Whole = succession.Whole;
            }
            else
            {
                link = new UnitSuccession { FromKey = from, ToKey = to, Whole = succession.Whole };
                db.UnitSuccessions.Add(link);
                known[(from, to)] = link;
            }

            linked++;
        }

        return linked;
    }
}
