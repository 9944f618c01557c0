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
    private JurisdictionCatalog.Snapshot _catalog = null!;
    private (double Lat, double Lng)[] _points = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _catalog = ShippedUnits.Load();
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

    [Benchmark(Description = "match: \"12 Nguyễn Huệ, p. bến nghé, q1, tp hcm\"")]
    public AddressMatch MatchAddress() => _catalog.Addresses.Match("12 Nguyễn Huệ, p. bến nghé, q1, tp hcm");

    [Benchmark(Description = "match: \"số 9 ngõ 52 phố Nguyễn Trãi Thanh Xuân Hà Nội\" (street, then district without a comma)")]
    public AddressMatch MatchStreetThenDistrict() => _catalog.Addresses.Match("số 9 ngõ 52 phố Nguyễn Trãi Thanh Xuân Hà Nội");
}

/// <summary>The shipped unit files, read the way the portal reads them, without a database.</summary>
public static class ShippedUnits
{
    private static readonly string[] BoundaryFiles = ["gis-01.json", "gis-79.json"];

    public static JurisdictionCatalog.Snapshot Load()
    {
        var folder = UnitImporter.ShippedDataFolder;
        using var units = File.OpenRead(Path.Combine(folder, "units-01-79.json"));
        var records = UnitFile.ReadUnits(units);
        var boundaries = BoundaryFiles
            .SelectMany(file =>
            {
                using var stream = File.OpenRead(Path.Combine(folder, file));
                return UnitFile.ReadBoundaries(stream);
            })
            .ToDictionary(b => b.Key, b => b.Value, StringComparer.Ordinal);
        return JurisdictionCatalog.Build([.. records.Select(r => new JurisdictionCatalog.UnitRow(
            new UnitRef(r.Code, r.Name, r.Type, r.Level), r.ParentCode, boundaries.GetValueOrDefault(r.Code)))]);
    }
}
