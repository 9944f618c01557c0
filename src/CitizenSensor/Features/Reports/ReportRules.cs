using System.Net.Mail;
using CitizenSensor.Infrastructure;

namespace CitizenSensor.Features.Reports;

public sealed record ReporterContact(string? Name, string? Phone, string? Email);

/// <summary>What a resident sends, whatever the door (JSON API, web form, later Open311, e-mail…).</summary>
public sealed record ReportSubmission(
    string? Description,
    double? Lat,
    double? Lng,
    string? Address,
    string? Category,
    ReporterContact? Reporter,
    bool Anonymous)
{
    /// <summary>Optional: an app back-end's URL that receives every status change, signed (see docs/webhooks.md).</summary>
    public string? WebhookUrl { get; init; }

    /// <summary>
    /// A door whose protocol makes the description optional (Open311 GeoReport v2): a report without one is accepted
    /// and goes to the triage desk (<see cref="TriageReasons.NoDescription"/>). Every other door requires it.
    /// </summary>
    public bool DescriptionOptional { get; init; }
}

/// <summary>The intake rules, in one place for every channel. Each problem is reported against its field.</summary>
public static partial class ReportRules
{
    public const int MinDescription = 10;
    public const int MaxDescription = 4000;
    public const int MaxAddress = 500;
    public const int MaxIdempotencyKey = 100;

    /// <summary>A result for the resident says something: at least this many characters.</summary>
    public const int MinResult = 10;

    public const long MaxFineVnd = 1_000_000_000_000;

    public const int MaxRejectionNote = 1000;

    public const int MaxTriageReason = 300;

    /// <summary>The result deadline when a report has no category with its own.</summary>
    public const int DefaultResolveMinutes = 60;

    public static Dictionary<string, string[]> Validate(ReportSubmission submission, IReadOnlySet<string> categoryCodes)
    {
        var errors = new Dictionary<string, string[]>();
        var description = submission.Description?.Trim() ?? "";
        var leftOut = description.Length == 0 && submission.DescriptionOptional; // the triage desk reads the rest
        if (!leftOut && description.Length is < MinDescription or > MaxDescription)
        {
            errors["description"] = [$"'description' must be {MinDescription} to {MaxDescription} characters (got {description.Length})."];
        }
        else if (!leftOut)
        {
            PlainText.Check("description", description, errors);
        }

        if (submission.Lat is null != submission.Lng is null)
        {
            errors[submission.Lat is null ? "lat" : "lng"] = ["'lat' and 'lng' go together: give both or neither."];
        }
        else if (submission.Lat is { } lat && submission.Lng is { } lng)
        {
            if (!double.IsFinite(lat) || Math.Abs(lat) > 90)
            {
                errors["lat"] = ["'lat' must be between -90 and 90."];
            }

            if (!double.IsFinite(lng) || Math.Abs(lng) > 180)
            {
                errors["lng"] = ["'lng' must be between -180 and 180."];
            }
        }

        var address = submission.Address?.Trim();
        if (address?.Length > MaxAddress)
        {
            errors["address"] = [$"'address' must be at most {MaxAddress} characters."];
        }
        else
        {
            PlainText.Check("address", address, errors);
        }

        if (submission.Lat is null && string.IsNullOrWhiteSpace(address) && !errors.ContainsKey("lat") && !errors.ContainsKey("lng"))
        {
            errors["location"] = ["The location is missing: give 'lat' and 'lng', or an 'address', or both."];
        }

        if (submission.Category is { Length: > 0 } hint && !categoryCodes.Contains(hint))
        {
            errors["category"] = [$"Unknown category '{PlainText.Shorten(hint, 40)}'. Known: {string.Join(", ", categoryCodes.Order(StringComparer.Ordinal))}."];
        }

        ValidateReporter(submission, errors);
        return errors;
    }

    private static void ValidateReporter(ReportSubmission submission, Dictionary<string, string[]> errors)
    {
        var reporter = submission.Reporter;
        var hasAny = reporter is not null && (!string.IsNullOrWhiteSpace(reporter.Name) || !string.IsNullOrWhiteSpace(reporter.Phone) || !string.IsNullOrWhiteSpace(reporter.Email));
        if (submission.Anonymous && hasAny)
        {
            errors["reporter"] = ["An anonymous report carries no reporter details: leave 'reporter' out, or set 'anonymous' to false."];
            return;
        }

        if (reporter is null)
        {
            return;
        }

        if (reporter.Name?.Trim().Length > 100)
        {
            errors["reporter.name"] = ["'reporter.name' must be at most 100 characters."];
        }
        else
        {
            PlainText.CheckName("reporter.name", reporter.Name, errors);
        }

        if (!string.IsNullOrWhiteSpace(reporter.Phone) && PhoneNumbers.Normalize(reporter.Phone) is null)
        {
            errors["reporter.phone"] = [PhoneNumbers.Problem("reporter.phone")];
        }

        if (!string.IsNullOrWhiteSpace(reporter.Email) && (reporter.Email.Length > 256 || !MailAddress.TryCreate(reporter.Email.Trim(), out var parsed) || parsed.Address != reporter.Email.Trim()))
        {
            errors["reporter.email"] = ["'reporter.email' must be an e-mail address."];
        }
    }
}
