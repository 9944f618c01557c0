using CitizenSensor.Data;
using CitizenSensor.Features.Reports.Classification;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

public sealed class DuplicateOptions
{
    public double RadiusMeters { get; set; } = 200;

    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Share of distinct words two descriptions must have in common (Jaccard, on folded text).</summary>
    public double MinSimilarity { get; set; } = 0.2;

    /// <summary>Reports this close together in place …</summary>
    public double SamePlaceMeters { get; set; } = 50;

    /// <summary>… and in time are likely about the same thing whatever their words (four calls about one karaoke bar).</summary>
    public TimeSpan SameTime { get; set; } = TimeSpan.FromMinutes(30);
}

/// <summary>A likely duplicate and why: <c>text</c> (similar words within the radius and window), <c>place-and-time</c>
/// (within <see cref="DuplicateOptions.SamePlaceMeters"/> and <see cref="DuplicateOptions.SameTime"/>), or both.</summary>
public sealed record LikelyDuplicate(string Code, string Status, double DistanceMeters, double Similarity, DateTimeOffset SubmittedAt, IReadOnlyList<string> Reasons);

/// <summary>
/// Likely duplicates, whatever their categories (the classifier may put four reports of one bar in three): open reports
/// within the radius and time window whose text is similar, or that are very close in place and time. Each says why.
/// Shown to the resident on submission and to the officer, who can merge (reject as duplicate).
/// </summary>
public sealed class DuplicateFinder(DuplicateOptions options, ReportClassifier classifier)
{
    private const double MetersPerDegreeLatitude = 111_320;

    /// <summary>Likely duplicates of a report made at <paramref name="at"/>, among those submitted from a window before
    /// <paramref name="until"/> (default: <paramref name="at"/>) up to it.</summary>
    public async Task<List<LikelyDuplicate>> FindAsync(CitizenDb db, string? excludeCode, string description, double? latitude, double? longitude, DateTimeOffset at, bool ignoreScope, CancellationToken cancellationToken, DateTimeOffset? until = null)
    {
        if (latitude is not { } lat || longitude is not { } lng)
        {
            return [];
        }

        var dLat = options.RadiusMeters / MetersPerDegreeLatitude;
        var dLng = options.RadiusMeters / (MetersPerDegreeLatitude * Math.Max(0.1, Math.Cos(lat * Math.PI / 180)));
        var last = until ?? at;
        var since = last - options.Window;
        var open = new[] { ReportStatus.Received, ReportStatus.NeedsTriage, ReportStatus.Routed, ReportStatus.InProgress };
        var reports = ignoreScope ? db.Reports.IgnoreQueryFilters() : db.Reports;
        var candidates = await reports.AsNoTracking()
            .Where(r => r.Code != excludeCode && open.Contains(r.Status) && r.SubmittedAt >= since && r.SubmittedAt <= last)
            .Where(r => r.Latitude >= lat - dLat && r.Latitude <= lat + dLat && r.Longitude >= lng - dLng && r.Longitude <= lng + dLng)
            .OrderByDescending(r => r.SubmittedAt)
            .Select(r => new { r.Code, r.Status, r.Description, r.Latitude, r.Longitude, r.SubmittedAt })
            .Take(50)
            .ToListAsync(cancellationToken);

        var words = Words(description);
        return [.. candidates
            .Select(c => Judge(c.Code, c.Status, Distance(lat, lng, c.Latitude!.Value, c.Longitude!.Value), Similarity(words, Words(c.Description)), c.SubmittedAt, at))
            .OfType<LikelyDuplicate>()
            .OrderByDescending(d => d.Reasons.Count).ThenByDescending(d => d.Similarity).ThenBy(d => d.DistanceMeters)
            .Take(5)];
    }

    /// <summary>A candidate within the radius is a likely duplicate for its words, or for being right there at about the same time.</summary>
    private LikelyDuplicate? Judge(string code, ReportStatus status, double distance, double similarity, DateTimeOffset submittedAt, DateTimeOffset at)
    {
        if (distance > options.RadiusMeters)
        {
            return null;
        }

        List<string> reasons = [];
        if (similarity >= options.MinSimilarity)
        {
            reasons.Add("text");
        }

        if (distance <= options.SamePlaceMeters && (at - submittedAt).Duration() <= options.SameTime)
        {
            reasons.Add("place-and-time");
        }

        return reasons.Count == 0 ? null : new LikelyDuplicate(code, ReportViews.StatusCode(status), Math.Round(distance), Math.Round(similarity, 2), submittedAt, reasons);
    }

    /// <summary>For an officer looking at a report: likely duplicates submitted up to half a window before or after it, in their scope.</summary>
    public Task<List<LikelyDuplicate>> FindAroundAsync(CitizenDb db, Report report, CancellationToken cancellationToken) =>
        FindAsync(db, report.Code, report.Description, report.Latitude, report.Longitude, report.SubmittedAt, ignoreScope: false, cancellationToken, until: report.SubmittedAt + (options.Window / 2));

    private HashSet<string> Words(string text) => [.. classifier.Normalize(text).Where(w => w.Length > 1)];

    private static double Similarity(HashSet<string> a, HashSet<string> b) =>
        a.Count == 0 || b.Count == 0 ? 0 : (double)a.Intersect(b).Count() / a.Union(b).Count();

    /// <summary>Great-circle distance in metres (haversine).</summary>
    public static double Distance(double lat1, double lng1, double lat2, double lng2)
    {
        const double earth = 6_371_000;
        var dLat = (lat2 - lat1) * Math.PI / 180;
        var dLng = (lng2 - lng1) * Math.PI / 180;
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(lat1 * Math.PI / 180) * Math.Cos(lat2 * Math.PI / 180) * Math.Sin(dLng / 2) * Math.Sin(dLng / 2));
        return 2 * earth * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
