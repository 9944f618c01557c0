using System.Globalization;
using CitizenSensor.Features.Jurisdictions;

namespace CitizenSensor.Features.Reports;

/// <summary>The report's fields as form fields (multipart uploads and the web form), checked as strictly as JSON.</summary>
public sealed class ReportForm
{
    public string? Description { get; set; }

    public string? Lat { get; set; }

    public string? Lng { get; set; }

    public string? Address { get; set; }

    public string? Category { get; set; }

    public string? ReporterName { get; set; }

    public string? ReporterPhone { get; set; }

    public string? ReporterEmail { get; set; }

    public string? Anonymous { get; set; }

    public string? WebhookUrl { get; set; }

    public bool TryGetSubmission(out ReportSubmission submission, out Dictionary<string, string[]> errors)
    {
        errors = [];
        double? lat = null, lng = null;
        if (!string.IsNullOrWhiteSpace(Lat) || !string.IsNullOrWhiteSpace(Lng))
        {
            if (GeoPoint.TryParse(Lat, Lng, out var point, out var pointErrors))
            {
                (lat, lng) = (point.Latitude, point.Longitude);
            }
            else
            {
                errors = pointErrors;
            }
        }

        if (!TryParseBoolean(Anonymous, out var anonymous))
        {
            errors["anonymous"] = [$"'anonymous' must be true or false (got '{Infrastructure.PlainText.Shorten(Anonymous!, 20)}')."];
        }

        var hasReporter = !string.IsNullOrWhiteSpace(ReporterName) || !string.IsNullOrWhiteSpace(ReporterPhone) || !string.IsNullOrWhiteSpace(ReporterEmail);
        submission = new ReportSubmission(
            Description, lat, lng, Address, string.IsNullOrWhiteSpace(Category) ? null : Category,
            hasReporter ? new ReporterContact(ReporterName, ReporterPhone, ReporterEmail) : null,
            anonymous)
        {
            WebhookUrl = string.IsNullOrWhiteSpace(WebhookUrl) ? null : WebhookUrl.Trim(),
        };
        return errors.Count == 0;
    }

    /// <summary>A form's yes/no: true, on or 1; false or 0; empty or absent is false. Anything else is not an answer.</summary>
    public static bool TryParseBoolean(string? text, out bool value)
    {
        var trimmed = text?.Trim() ?? "";
        value = trimmed.Equals("true", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("on", StringComparison.OrdinalIgnoreCase) || trimmed == "1";
        return value || trimmed.Length == 0 || trimmed.Equals("false", StringComparison.OrdinalIgnoreCase) || trimmed == "0";
    }

    public static string? Format(double? value) => value?.ToString(CultureInfo.InvariantCulture);
}
