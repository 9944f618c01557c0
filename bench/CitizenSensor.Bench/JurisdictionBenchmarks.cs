using BenchmarkDotNet.Attributes;
using CitizenSensor.Features.Jurisdictions;

namespace CitizenSensor.Bench;

/// <summary>
/// Point → unit and address → unit on the shipped boundaries of Hà Nội and Hồ Chí Minh City, index built once
/// (as the portal does). Target from the foundation issue: under 20 µs per point lookup.
/// </summary>
[MemoryDiagnoser]
public class JurisdictionBenchmarks
{
    private JurisdictionCatalog.Snapshot _snapshot = null!;
    private UnitSetView _catalog = null!;
    private UnitSetView _today = null!;
    private (double Lat, double Lng)[] _points = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _snapshot = ShippedUnits.Load();
        _catalog = _snapshot.At(ShippedUnits.In2021);
        _today = _snapshot.At(ShippedUnits.Today);
        // 4,096 points spread over both cities' bounding boxes: inside districts, in gaps, and outside.
        var random = new Random(1022);
        _points = [.. Enumerable.Range(0, 4096).Select(i => i % 2 == 0
            ? (20.56 + (random.NextDouble() * 0.85), 105.28 + (random.NextDouble() * 0.83))
            : (10.37 + (random.NextDouble() * 0.79), 106.36 + (random.NextDouble() * 0.67)))];
    }

    [Benchmark(Description = "resolve: Nhà thờ Đức Bà (Quận 1)")]
    public PointResolution ResolveCentral() => _catalog.Points.Resolve(10.7798, 106.6990);

    [Benchmark(Description = "resolve: Nội Bài (Sóc Sơn, large rural district)")]
    public PointResolution ResolveRural() => _catalog.Points.Resolve(21.2187, 105.8042);

    [Benchmark(Description = "resolve: Đà Nẵng (outside every city)")]
    public PointResolution ResolveOutside() => _catalog.Points.Resolve(16.0544, 108.2022);

    [Benchmark(Description = "resolve: random points over both cities")]
    public PointResolution ResolveRandom()
    {
        var (lat, lng) = _points[_next++ & 4095];
        return _catalog.Points.Resolve(lat, lng);
    }

    [Benchmark(Description = "resolve today: Nhà thờ Đức Bà (Phường Sài Gòn, 2025 set)")]
    public PointResolution ResolveCentralToday() => _today.Points.Resolve(10.7798, 106.6990);

    [Benchmark(Description = "resolve today: Nội Bài (Xã Nội Bài, 2025 set)")]
    public PointResolution ResolveRuralToday() => _today.Points.Resolve(21.2187, 105.8042);

    [Benchmark(Description = "resolve today: random points over both cities (2025 set)")]
    public PointResolution ResolveRandomToday()
    {
        var (lat, lng) = _points[_next++ & 4095];
        return _today.Points.Resolve(lat, lng);
    }

    [Benchmark(Description = "resolve on a day: random points, each on a day in one of the two sets (the set chosen, then the point)")]
    public PointResolution ResolveRandomOnADay()
    {
        var i = _next++;
        var (lat, lng) = _points[i & 4095];
        return _snapshot.At((i & 1) == 0 ? ShippedUnits.In2021 : ShippedUnits.Today).Points.Resolve(lat, lng);
    }

    [Benchmark(Description = "match: \"12 Nguyễn Huệ, p. bến nghé, q1, tp hcm\"")]
    public AddressMatch MatchAddress() => _catalog.Addresses.Match("12 Nguyễn Huệ, p. bến nghé, q1, tp hcm");

    [Benchmark(Description = "match: \"số 9 ngõ 52 phố Nguyễn Trãi Thanh Xuân Hà Nội\" (street, then district without a comma)")]
    public AddressMatch MatchStreetThenDistrict() => _catalog.Addresses.Match("số 9 ngõ 52 phố Nguyễn Trãi Thanh Xuân Hà Nội");

    [Benchmark(Description = "match today: \"số 1 Công xã Paris, phường Sài Gòn, TP Hồ Chí Minh\" (both sets read)")]
    public AddressMatch MatchToday() => _snapshot.MatchAddress("số 1 Công xã Paris, phường Sài Gòn, TP Hồ Chí Minh", ShippedUnits.Today);

    [Benchmark(Description = "match today, written the old way: \"P.12, Q. Gò Vấp\" → Phường An Hội Tây")]
    public AddressMatch MatchOldWayToday() => _snapshot.MatchAddress("P.12, Q. Gò Vấp", ShippedUnits.Today);
}

/// <summary>
/// What warming the catalog costs at start-up, without the database: both sets' units and boundaries read from the
/// shipped files, invalid rings repaired, and the indexes, matchers, map copies and successions built.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class CatalogBuildBenchmarks
{
    [Benchmark(Description = "catalog: read and build both shipped sets")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "BenchmarkDotNet runs instance methods")]
    public JurisdictionCatalog.Snapshot Build() => ShippedUnits.Load();
}

/// <summary>The shipped unit files (the 2021 and the 2025 sets), read the way the portal reads them, without a database.</summary>
public static class ShippedUnits
{
    public static readonly DateOnly In2021 = new(2021, 9, 23);

    public static readonly DateOnly Today = new(2026, 12, 7);

    public static JurisdictionCatalog.Snapshot Load()
    {
        var old = Read(UnitImporter.ShippedDataFolder, "units-01-79.json", ["gis-01.json", "gis-79.json"], UnitImporter.Set2021, onlyWithBoundaries: false);
        var current = Read(UnitImporter.Shipped2025Folder, "units-2026-07-25.json", ["boundaries-01.geojson.gz", "boundaries-79.geojson.gz"], UnitImporter.Set2025, onlyWithBoundaries: true);
        using var mapping = UnitFile.Open(Path.Combine(UnitImporter.Shipped2025Folder, "merges.json.gz"));
        var successions = UnitFile.ReadSuccessions(mapping)
            .Select(s => (s.FromCode + UnitSet.SuffixFor(UnitImporter.Set2021.Id), s.ToCode + UnitSet.SuffixFor(UnitImporter.Set2025.Id)))
            .ToList();
        return JurisdictionCatalog.Build([old.Set, current.Set], [.. old.Rows, .. current.Rows], successions);
    }

    private static (UnitSetInfo Set, List<JurisdictionCatalog.UnitRow> Rows) Read(string folder, string unitsFile, string[] boundaryFiles, UnitSetRecord set, bool onlyWithBoundaries)
    {
        using var units = UnitFile.Open(Path.Combine(folder, unitsFile));
        var records = UnitFile.ReadUnits(units);
        var boundaries = boundaryFiles
            .SelectMany(file =>
            {
                using var stream = UnitFile.Open(Path.Combine(folder, file));
                return UnitFile.ReadBoundaries(stream);
            })
            .ToDictionary(b => b.Key, b => UnitImporter.Valid(b.Value).Geometry, StringComparer.Ordinal);
        if (onlyWithBoundaries)
        {
            records = [.. records.Where(r => boundaries.ContainsKey(r.ParentCode ?? r.Code))];
        }

        var suffix = UnitSet.SuffixFor(set.Id);
        var rows = records.Select(r => new JurisdictionCatalog.UnitRow(
            new UnitRef(r.Code + suffix, r.Name, r.Type, r.Level, r.Code, set.Id), r.ParentCode is null ? null : r.ParentCode + suffix, boundaries.GetValueOrDefault(r.Code))).ToList();
        var depth = UnitImporter.HandlingDepth(rows.Select(r => (r.Unit.Level, r.Boundary is not null)));
        return (new UnitSetInfo(set.Id, set.Name ?? set.Id, set.ValidFrom, set.ValidTo, depth), rows);
    }
}
