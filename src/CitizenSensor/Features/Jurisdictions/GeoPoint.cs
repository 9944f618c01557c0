using System.Globalization;
using CitizenSensor.Infrastructure;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>A WGS 84 point parsed from request text, with errors that name the field and the problem.</summary>
public readonly record struct GeoPoint(double Latitude, double Longitude)
{
    public static bool TryParse(string? latitude, string? longitude, out GeoPoint point, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var lat = Parse("lat", latitude, 90, errors);
        var lng = Parse("lng", longitude, 180, errors);
        point = new GeoPoint(lat, lng);
        return errors.Count == 0;
    }

    private static double Parse(string field, string? text, double limit, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors[field] = [$"'{field}' is required."];
            return 0;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            errors[field] = [$"'{field}' must be a decimal number such as 10.7769 (got '{PlainText.Shorten(text, 40)}')."];
            return 0;
        }

        if (Math.Abs(value) > limit)
        {
            errors[field] = [$"'{field}' must be between -{limit} and {limit} (got {value.ToString(CultureInfo.InvariantCulture)})."];
        }

        return value;
    }
}
