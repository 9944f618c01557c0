using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

public sealed record PublicListItem(string Code, string Status, CategoryView? Category, UnitLink? Unit, DateTimeOffset SubmittedAt, DateTimeOffset? ResolvedAt, double? Lat, double? Lng);

/// <summary>
/// The public list and map of reports that reached a unit (routed, in progress, resolved), like FixMyStreet's:
/// no description, no reporter, the location rounded to about 50 m.
/// </summary>
public static class PublicReportsApi
{
    /// <summary>0.0005° is about 55 m of latitude (and a little less of longitude at these latitudes).</summary>
    public const double Grid = 0.0005;

    private static readonly ReportStatus[] Shown = [ReportStatus.Routed, ReportStatus.InProgress, ReportStatus.Resolved];

    public static RouteHandlerBuilder MapPublicReports(this RouteGroupBuilder group) =>
        group.MapGet("/", List).WithSummary("Reports that reached a unit, newest first; filter by district and category");

    internal static async Task<Results<Ok<List<PublicListItem>>, ValidationProblem>> List(CitizenDb db, string? unit, string? category, int? limit, CancellationToken cancellationToken)
    {
        var take = limit ?? 100;
        if (take is < 1 or > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["'limit' must be between 1 and 500."] });
        }

        return TypedResults.Ok(await LoadAsync(db, unit, category, take, cancellationToken));
    }

    public static async Task<List<PublicListItem>> LoadAsync(CitizenDb db, string? unit, string? category, int take, CancellationToken cancellationToken)
    {
        var query = db.Reports.IgnoreQueryFilters().AsNoTracking().Where(r => Shown.Contains(r.Status));
        if (!string.IsNullOrEmpty(unit))
        {
            query = query.Where(r => r.UnitCode == unit);
        }

        if (!string.IsNullOrEmpty(category))
        {
            query = query.Where(r => r.CategoryCode == category);
        }

        var rows = await query.OrderByDescending(r => r.SubmittedAt).Take(take)
            .Select(r => new { r.Code, r.Status, r.CategoryCode, r.UnitCode, r.SubmittedAt, r.ResolvedAt, r.Latitude, r.Longitude })
            .ToListAsync(cancellationToken);
        var units = await UnitNames.ByCodeAsync(db, rows.Select(r => r.UnitCode), cancellationToken);
        var categories = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, c => c.Name(ReportViews.English), cancellationToken);
        return [.. rows.Select(r => new PublicListItem(
            r.Code,
            ReportViews.StatusCode(r.Status),
            r.CategoryCode is not null && categories.TryGetValue(r.CategoryCode, out var name) ? new CategoryView(r.CategoryCode, name) : null,
            r.UnitCode is not null && units.TryGetValue(r.UnitCode, out var unitName) ? new UnitLink(r.UnitCode, unitName) : null,
            r.SubmittedAt,
            r.ResolvedAt,
            Round(r.Latitude),
            Round(r.Longitude)))];
    }

    public static double? Round(double? degrees) => degrees is { } d ? Math.Round(Math.Round(d / Grid) * Grid, 4) : null;
}
