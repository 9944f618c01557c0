using System.Text.Json;
using NetTopologySuite.Geometries;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>Writes boundaries as a GeoJSON FeatureCollection (RFC 7946: longitude, latitude).</summary>
public static class GeoJson
{
    public static void WriteFeatureCollection(Utf8JsonWriter writer, IEnumerable<(string Code, string Name, Geometry Geometry)> features)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteStartArray("features");
        foreach (var (code, name, geometry) in features)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "Feature");
            writer.WriteString("id", code);
            writer.WriteStartObject("properties");
            writer.WriteString("code", code);
            writer.WriteString("name", name);
            writer.WriteEndObject();
            writer.WritePropertyName("geometry");
            WriteGeometry(writer, geometry);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteGeometry(Utf8JsonWriter writer, Geometry geometry)
    {
        writer.WriteStartObject();
        switch (geometry)
        {
            case Polygon polygon:
                writer.WriteString("type", "Polygon");
                writer.WritePropertyName("coordinates");
                WritePolygon(writer, polygon);
                break;
            case MultiPolygon multi:
                writer.WriteString("type", "MultiPolygon");
                writer.WriteStartArray("coordinates");
                foreach (var part in multi.Geometries.Cast<Polygon>())
                {
                    WritePolygon(writer, part);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"Geometry type {geometry.GeometryType} is not a boundary.");
        }

        writer.WriteEndObject();
    }

    private static void WritePolygon(Utf8JsonWriter writer, Polygon polygon)
    {
        writer.WriteStartArray();
        WriteRing(writer, polygon.ExteriorRing);
        foreach (var hole in polygon.InteriorRings)
        {
            WriteRing(writer, hole);
        }

        writer.WriteEndArray();
    }

    private static void WriteRing(Utf8JsonWriter writer, LineString ring)
    {
        writer.WriteStartArray();
        foreach (var c in ring.Coordinates)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(Math.Round(c.X, 6));
            writer.WriteNumberValue(Math.Round(c.Y, 6));
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }
}
