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
}

public sealed record LikelyDuplicate(string Code, string Status, double DistanceMeters, double Similarity, DateTimeOffset SubmittedAt);

/// <summary>
/// Likely duplicates: open reports of the same category, within the radius and time window, whose text is
/// similar. Shown to the resident on submission and to the officer, who can merge (reject as duplicate).
/// </summary>
public sealed class DuplicateFinder(DuplicateOptions options, ReportClassifier classifier)
{
    private const double MetersPerDegreeLatitude = 111_320;

    public async Task<List<LikelyDuplicate>> FindAsync(CitizenDb db, string? excludeCode, string description, string? category, double? latitude, double? longitude, DateTimeOffset at, bool ignoreScope, CancellationToken cancellationToken)
    {
        if (latitude is not { } lat || longitude is not { } lng)
        {
            return [];
        }

        category ??= classifier.Classify(description).Category;
        var dLat = options.RadiusMeters / MetersPerDegreeLatitude;
        var dLng = options.RadiusMeters / (MetersPerDegreeLatitude * Math.Max(0.1, Math.Cos(lat * Math.PI / 180)));
        var since = at - options.Window;
        var open = new[] { ReportStatus.Received, ReportStatus.NeedsTriage, ReportStatus.Routed, ReportStatus.InProgress };
        var reports = ignoreScope ? db.Reports.IgnoreQueryFilters() : db.Reports;
        var candidates = await reports.AsNoTracking()
            .Where(r => r.Code != excludeCode && open.Contains(r.Status) && r.SubmittedAt >= since && r.SubmittedAt <= at)
            .Where(r => r.Latitude >= lat - dLat && r.Latitude <= lat + dLat && r.Longitude >= lng - dLng && r.Longitude <= lng + dLng)
            .Where(r => r.CategoryCode == category || (r.CategoryCode == null && (r.CategoryHint == null || r.CategoryHint == category)))
            .OrderByDescending(r => r.SubmittedAt)
            .Select(r => new { r.Code, r.Status, r.Description, r.CategoryCode, r.CategoryHint, r.Latitude, r.Longitude, r.SubmittedAt })
            .Take(50)
            .ToListAsync(cancellationToken);

        var words = Words(description);
        return [.. candidates
            .Where(c => (c.CategoryCode ?? c.CategoryHint ?? classifier.Classify(c.Description).Category) == category)
            .Select(c => new LikelyDuplicate(c.Code, ReportViews.StatusCode(c.Status), Math.Round(Distance(lat, lng, c.Latitude!.Value, c.Longitude!.Value)), Math.Round(Similarity(words, Words(c.Description)), 2), c.SubmittedAt))
            .Where(d => d.DistanceMeters <= options.RadiusMeters && d.Similarity >= options.MinSimilarity)
            .OrderByDescending(d => d.Similarity).ThenBy(d => d.DistanceMeters)
            .Take(5)];
    }

    /// <summary>For an officer looking at a report: likely duplicates submitted up to half a window before or after it, in their scope.</summary>
    public Task<List<LikelyDuplicate>> FindAroundAsync(CitizenDb db, Report report, CancellationToken cancellationToken) =>
        FindAsync(db, report.Code, report.Description, report.CategoryCode, report.Latitude, report.Longitude, report.SubmittedAt + (options.Window / 2), ignoreScope: false, cancellationToken);

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
