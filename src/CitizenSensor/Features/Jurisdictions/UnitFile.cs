using System.Text.Json;
using NetTopologySuite.Geometries;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>One unit as read from a file, before it is stored.</summary>
public sealed record UnitRecord(string Code, string Name, string Type, int Level, string? ParentCode);

/// <summary>
/// Reads the administrative-unit files the app ships with (<c>data/vn-admin/</c>) and any file of the same format:
/// a unit list nested as <c>data[]</c> → <c>level2s[]</c> → <c>level3s[]</c> …, each node with <c>levelN_id</c>,
/// <c>name</c> and <c>type</c>; and boundary files with GeoJSON <c>type</c>/<c>coordinates</c> per node. The depth is
/// whatever the file has: a city with only province → commune loads two levels.
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
            ReadNode(node, 1, null, units);
        }

        return units;
    }

    /// <summary>Reads a boundary file: the node's own outline and those of its children, by code.</summary>
    public static IReadOnlyDictionary<string, Geometry> ReadBoundaries(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var boundaries = new Dictionary<string, Geometry>(StringComparer.Ordinal);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
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

    private static Geometry ToGeometry(string? type, JsonElement coordinates, string code) => type switch
    {
        "Polygon" => ToPolygon(coordinates),
        "MultiPolygon" => Wgs84.CreateMultiPolygon([.. coordinates.EnumerateArray().Select(ToPolygon)]),
        _ => throw new InvalidDataException($"Unit {code}: boundary type '{type}' is not Polygon or MultiPolygon."),
    };

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
