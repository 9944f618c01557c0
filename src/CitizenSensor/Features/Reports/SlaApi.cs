using CitizenSensor.Data;
using CitizenSensor.Features.Staff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// One unit's or category's reports that were forwarded: how many were forwarded on time, and how many got their result
/// by the due time. Rejected reports (invalid, or duplicates not yet answered through their original) have no result
/// to give: they count in the forward rate but not in the result rate, and are counted apart.
/// </summary>
public sealed record OnTimeRate(string Key, string Name, int Handled, int ForwardedOnTime, int Rejected, int ResolvedOnTime, double ForwardRate, double ResolveRate);

public sealed record SlaFigures(DateOnly From, DateOnly To, int Submitted, int Resolved, int Overdue, IReadOnlyList<OnTimeRate> ByUnit, IReadOnlyList<OnTimeRate> ByCategory);

/// <summary>On-time rates per unit and per category, over the caller's units, for city days [from, to].</summary>
public static class SlaApi
{
    public static RouteGroupBuilder MapSlaApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/staff/sla").WithTags("Reports (staff)").RequireAuthorization().RequireUnitScope();
        group.MapGet("/", Figures).WithSummary("Forward and result on-time rates per unit and category (days are Hồ Chí Minh City days)");
        return group;
    }

    internal static async Task<Results<Ok<SlaFigures>, ValidationProblem>> Figures(CitizenDb db, TimeProvider time, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var last = to ?? Infrastructure.CityTime.DayOf(now);
        var first = from ?? last.AddDays(-6);
        if (first > last || last.DayNumber - first.DayNumber > 366)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["'from' must not be after 'to', and the range at most a year."] });
        }

        var start = Infrastructure.CityTime.StartOfDay(first);
        var end = Infrastructure.CityTime.StartOfDay(last.AddDays(1));
        var forward = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, c => c.ForwardWithinMinutes, cancellationToken);
        var rows = await db.Reports.AsNoTracking()
            .Where(r => r.SubmittedAt >= start && r.SubmittedAt < end)
            .Select(r => new { r.Status, r.CategoryCode, r.UnitCode, r.SubmittedAt, r.RoutedAt, r.DueAt, r.ResolvedAt })
            .ToListAsync(cancellationToken);
        var names = await db.Units.IgnoreQueryFilters().AsNoTracking().Where(u => u.Level == u.Set!.HandlingDepth).ToDictionaryAsync(u => u.Code, u => u.Name, cancellationToken);
        var categoryNames = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, c => c.Name(ReportViews.English), cancellationToken);

        var handled = rows.Where(r => r.RoutedAt is not null).Select(r => new Handled(
            r.UnitCode ?? "?",
            r.CategoryCode ?? "?",
            r.RoutedAt!.Value - r.SubmittedAt <= TimeSpan.FromMinutes(r.CategoryCode is not null && forward.TryGetValue(r.CategoryCode, out var m) ? m : 5),
            r.Status == ReportStatus.Rejected,
            r.ResolvedAt is not null && r.ResolvedAt <= r.DueAt)).ToList();
        var byUnit = handled.GroupBy(h => h.UnitCode)
            .Select(g => RateOf(g, names.GetValueOrDefault(g.Key, g.Key)))
            .OrderBy(r => r.ResolveRate).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        var byCategory = handled.GroupBy(h => h.CategoryCode)
            .Select(g => RateOf(g, categoryNames.GetValueOrDefault(g.Key, g.Key)))
            .OrderBy(r => r.ResolveRate).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
        var overdue = rows.Count(r => r.Status is ReportStatus.Routed or ReportStatus.InProgress && r.DueAt < now);
        return TypedResults.Ok(new SlaFigures(first, last, rows.Count, rows.Count(r => r.Status == ReportStatus.Resolved), overdue, byUnit, byCategory));
    }

    private sealed record Handled(string UnitCode, string CategoryCode, bool ForwardedOnTime, bool Rejected, bool ResolvedOnTime);

    private static OnTimeRate RateOf(IGrouping<string, Handled> group, string name)
    {
        var (count, forwarded, rejected, resolved) = (group.Count(), group.Count(h => h.ForwardedOnTime), group.Count(h => h.Rejected), group.Count(h => h.ResolvedOnTime));
        // With every report rejected there was no result to give, and none was late.
        return new OnTimeRate(group.Key, name, count, forwarded, rejected, resolved, Rate(forwarded, count), rejected == count ? 1 : Rate(resolved, count - rejected));
    }

    private static double Rate(int part, int whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 3);
}
