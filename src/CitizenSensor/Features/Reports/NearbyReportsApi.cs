using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

/// <summary>A report near a place, as anyone may see it: no text, no reporter, the distance rounded to 10 m.</summary>
public sealed record NearbyReport(string Code, string Status, CategoryView? Category, UnitLink? Unit, DateTimeOffset SubmittedAt, double DistanceMeters, string TrackingUrl);

/// <summary><c>Reports:Nearby</c>: how many look-ups one client address may make a minute.</summary>
public sealed class NearbyOptions
{
    public int PermitsPerMinute { get; set; } = 30;
}

/// <summary>
/// "Is it one of these?": the reports within the duplicate radius (200 m) of the last window (24 h), asked by the web form
/// before it submits, so a resident can follow one instead of filing it again. Public fields only; rate limited per
/// client address (the ASP.NET Core rate limiter) because it answers anyone.
/// </summary>
public static class NearbyReportsApi
{
    /// <summary>Its limit (<see cref="NearbyOptions.PermitsPerMinute"/> per client address) is one of <see cref="PublicLimits"/>'.</summary>
    public const string Policy = PublicLimits.NearbyReads;

    private static readonly ReportStatus[] Shown = [ReportStatus.Received, ReportStatus.NeedsTriage, ReportStatus.Routed, ReportStatus.InProgress, ReportStatus.Resolved];

    public static RouteHandlerBuilder MapNearbyReports(this RouteGroupBuilder group) =>
        group.MapGet("/nearby", Nearby).RequireRateLimiting(Policy)
            .WithSummary("Reports within 200 m of a point in the last 24 hours (public fields only), to follow one instead of filing it again");

    internal static async Task<Results<Ok<List<NearbyReport>>, ValidationProblem>> Nearby(string? lat, string? lng, CitizenDb db, DuplicateOptions duplicates, TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        if (!GeoPoint.TryParse(lat, lng, out var point, out var errors))
        {
            return TypedResults.ValidationProblem(errors, title: "A point is needed");
        }

        return TypedResults.Ok(await FindAsync(db, duplicates, point, time.GetUtcNow(), PublicSite.Of(http).BaseUrl, cancellationToken));
    }

    public static async Task<List<NearbyReport>> FindAsync(CitizenDb db, DuplicateOptions duplicates, GeoPoint point, DateTimeOffset now, string site, CancellationToken cancellationToken)
    {
        var (lat, lng) = (point.Latitude, point.Longitude);
        var dLat = duplicates.RadiusMeters / 111_320;
        var dLng = duplicates.RadiusMeters / (111_320 * Math.Max(0.1, Math.Cos(lat * Math.PI / 180)));
        var since = now - duplicates.Window;
        var rows = await db.Reports.IgnoreQueryFilters().AsNoTracking()
            .Where(r => Shown.Contains(r.Status) && r.DuplicateOfCode == null && r.SubmittedAt >= since && r.SubmittedAt <= now)
            .Where(r => r.Latitude >= lat - dLat && r.Latitude <= lat + dLat && r.Longitude >= lng - dLng && r.Longitude <= lng + dLng)
            .OrderByDescending(r => r.SubmittedAt).Take(50)
            .Select(r => new { r.Code, r.Status, r.CategoryCode, r.UnitCode, r.SubmittedAt, r.Latitude, r.Longitude })
            .ToListAsync(cancellationToken);
        var categories = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, c => c.Name(ReportViews.English), cancellationToken);
        var units = await UnitNames.ByCodeAsync(db, rows.Select(r => r.UnitCode), cancellationToken);
        return [.. rows
            .Select(r => (Row: r, Distance: DuplicateFinder.Distance(lat, lng, r.Latitude!.Value, r.Longitude!.Value)))
            .Where(r => r.Distance <= duplicates.RadiusMeters)
            .OrderBy(r => r.Distance)
            .Take(10)
            .Select(r => new NearbyReport(
                r.Row.Code,
                ReportViews.StatusCode(r.Row.Status),
                r.Row.CategoryCode is not null && categories.TryGetValue(r.Row.CategoryCode, out var name) ? new CategoryView(r.Row.CategoryCode, name) : null,
                r.Row.UnitCode is not null && units.TryGetValue(r.Row.UnitCode, out var unit) ? new UnitLink(r.Row.UnitCode, unit) : null,
                r.Row.SubmittedAt,
                Math.Round(r.Distance / 10) * 10,
                $"{site}/r/{r.Row.Code}"))];
    }
}
