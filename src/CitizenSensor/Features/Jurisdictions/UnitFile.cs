using System.IO.Compression;
using System.Text.Json;
using NetTopologySuite.Geometries;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>One unit as read from a file, before it is stored.</summary>
public sealed record UnitRecord(string Code, string Name, string Type, int Level, string? ParentCode);

/// <summary>An old unit's area going into a new one, by GSO codes, as a reform's mapping gives it.</summary>
public sealed record SuccessionRecord(string FromCode, string ToCode, bool Whole);

/// <summary>
/// Reads administrative-unit files in the two formats the app ships:
/// <list type="bullet">
/// <item>dvhcvn (<c>data/vn-admin/</c>, the 2021 units): a unit list nested as <c>data[]</c> → <c>level2s[]</c> →
/// <c>level3s[]</c> …, each node with <c>levelN_id</c>, <c>name</c> and <c>type</c>; boundary files with GeoJSON
/// <c>type</c>/<c>coordinates</c> per node. The depth is whatever the file has.</item>
/// <item>thanglequoc/vietnamese-provinces-database (<c>data/vn-admin-2025/</c>, the 2025 units): an array of
/// provinces (<c>Code</c>, <c>FullName</c>, <c>AdministrativeUnitShortName</c>) each with its <c>Wards</c>; boundaries as
/// GeoJSON FeatureCollections whose features' <c>id</c> is the unit's code (one file per unit, or several units in
/// one), plain or gzip-compressed.</item>
/// </list>
/// The reform's mapping (dvhcvn's <c>merges.json</c>) gives each new unit the old ones that went into it.
/// </summary>
public static class UnitFile
{
    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);

    public static IReadOnlyList<UnitRecord> ReadUnits(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var top = root.ValueKind == JsonValueKind.Array ? root : root.GetProperty("data");
        var units = new List<UnitRecord>();
        foreach (var node in top.EnumerateArray())
        {
            if (node.TryGetProperty("Wards", out var wards))
            {
                ReadProvince(node, wards, units);
            }
            else
            {
                ReadNode(node, 1, null, units);
            }
        }

        return units;
    }

    /// <summary>Opens a file, decompressing it when its name ends in <c>.gz</c>.</summary>
    public static Stream Open(string path)
    {
        var file = File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>The boundary files a path names: the file itself, or every <c>.json</c>/<c>.geojson</c> (maybe <c>.gz</c>) under a folder.</summary>
    public static IEnumerable<string> BoundaryFiles(string path) => Directory.Exists(path)
        ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".geojson", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
        : [path];

    /// <summary>Reads a reform's mapping (dvhcvn's <c>merges.json</c>): each new unit with the old units that went into it.</summary>
    public static IReadOnlyList<SuccessionRecord> ReadSuccessions(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var successions = new List<SuccessionRecord>();
        foreach (var province in document.RootElement.GetProperty("data").EnumerateArray())
        {
            ReadMerges(province, Required(province, "level1_id"), successions);
            for (var level = 2; province.TryGetProperty($"level{level}s", out var units) && units.ValueKind == JsonValueKind.Array; level++)
            {
                foreach (var unit in units.EnumerateArray())
                {
                    ReadMerges(unit, Required(unit, $"level{level}_id"), successions);
                }
            }
        }

        return successions;
    }

    private static void ReadMerges(JsonElement node, string code, List<SuccessionRecord> successions)
    {
        if (node.TryGetProperty("merges", out var merges) && merges.ValueKind == JsonValueKind.Array)
        {
            successions.AddRange(merges.EnumerateArray().Select(m => new SuccessionRecord(Required(m, "old_id"), code, m.TryGetProperty("type", out var type) && type.GetString() == "full")));
        }
    }

    private static void ReadProvince(JsonElement province, JsonElement wards, List<UnitRecord> units)
    {
        var code = Required(province, "Code");
        units.Add(new UnitRecord(code, Required(province, "FullName"), Required(province, "AdministrativeUnitShortName"), 1, null));
        foreach (var ward in wards.EnumerateArray())
        {
            units.Add(new UnitRecord(Required(ward, "Code"), Required(ward, "FullName"), Required(ward, "AdministrativeUnitShortName"), 2, code));
        }
    }

    /// <summary>Reads a boundary file: the node's own outline and those of its children, by code.</summary>
    public static IReadOnlyDictionary<string, Geometry> ReadBoundaries(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var boundaries = new Dictionary<string, Geometry>(StringComparer.Ordinal);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("features", out var features))
        {
            foreach (var feature in features.EnumerateArray())
            {
                var code = FeatureCode(feature);
                var geometry = feature.GetProperty("geometry");
                boundaries[code] = ToGeometry(geometry.GetProperty("type").GetString(), geometry.GetProperty("coordinates"), code);
            }
        }
        else if (root.ValueKind == JsonValueKind.Array)
        {
            foreach (var node in root.EnumerateArray())
            {
                ReadBoundaryNode(node, 1, boundaries);
            }
        }
        else
        {
            ReadBoundaryNode(root, 1, boundaries);
        }

        return boundaries;
    }

    private static void ReadNode(JsonElement node, int level, string? parentCode, List<UnitRecord> units)
    {
        var code = Required(node, $"level{level}_id");
        units.Add(new UnitRecord(code, Required(node, "name"), Required(node, "type"), level, parentCode));
        if (node.TryGetProperty($"level{level + 1}s", out var children) && children.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in children.EnumerateArray())
            {
                ReadNode(child, level + 1, code, units);
            }
        }
    }

    private static void ReadBoundaryNode(JsonElement node, int level, Dictionary<string, Geometry> boundaries)
    {
        var code = Required(node, $"level{level}_id");
        if (node.TryGetProperty("coordinates", out var coordinates) && node.TryGetProperty("type", out var type))
        {
            boundaries[code] = ToGeometry(type.GetString(), coordinates, code);
        }

        if (node.TryGetProperty($"level{level + 1}s", out var children) && children.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in children.EnumerateArray())
            {
                ReadBoundaryNode(child, level + 1, boundaries);
            }
        }
    }

    private static string FeatureCode(JsonElement feature) =>
        feature.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number && id.ToString() is { Length: > 0 } code
            ? code.Trim()
            : feature.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
                ? Required(properties, "code")
                : throw new InvalidDataException("A boundary feature has neither an 'id' nor a 'properties.code'.");

    private static Geometry ToGeometry(string? type, JsonElement coordinates, string code)
    {
        try
        {
            return type switch
            {
                "Polygon" => ToPolygon(coordinates),
                "MultiPolygon" => Wgs84.CreateMultiPolygon([.. coordinates.EnumerateArray().Select(ToPolygon)]),
                _ => throw new InvalidDataException($"Unit {code}: boundary type '{type}' is not Polygon or MultiPolygon."),
            };
        }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"Unit {code}: the boundary's coordinates are not rings of [longitude, latitude] points ({ex.Message}).", ex);
        }
    }

    private static Polygon ToPolygon(JsonElement rings)
    {
        var linear = rings.EnumerateArray().Select(ring => Wgs84.CreateLinearRing(
            [.. ring.EnumerateArray().Select(p => new Coordinate(p[0].GetDouble(), p[1].GetDouble()))])).ToArray();
        return Wgs84.CreatePolygon(linear[0], linear[1..]);
    }

    private static string Required(JsonElement node, string property) =>
        node.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text.Trim()
            : throw new InvalidDataException($"A unit is missing '{property}'.");
}
