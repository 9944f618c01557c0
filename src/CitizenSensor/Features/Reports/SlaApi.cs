using CitizenSensor.Data;
using CitizenSensor.Features.Staff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

public sealed record OnTimeRate(string Key, string Name, int Handled, int ForwardedOnTime, int ResolvedOnTime, double ForwardRate, double ResolveRate);

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
        var names = await db.Units.IgnoreQueryFilters().AsNoTracking().Where(u => u.Level > 1 && u.Level < 3).ToDictionaryAsync(u => u.Code, u => u.Name, cancellationToken);
        var categoryNames = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, c => c.Name(ReportViews.English), cancellationToken);

        var handled = rows.Where(r => r.RoutedAt is not null).Select(r => new
        {
            r.UnitCode,
            r.CategoryCode,
            ForwardOnTime = r.RoutedAt!.Value - r.SubmittedAt <= TimeSpan.FromMinutes(r.CategoryCode is not null && forward.TryGetValue(r.CategoryCode, out var m) ? m : 5),
            ResolvedOnTime = r.ResolvedAt is not null && r.ResolvedAt <= r.DueAt,
        }).ToList();

        static double Rate(int part, int whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 3);

        var byUnit = handled.GroupBy(h => h.UnitCode ?? "?")
            .Select(g => new OnTimeRate(g.Key, names.GetValueOrDefault(g.Key, g.Key), g.Count(), g.Count(x => x.ForwardOnTime), g.Count(x => x.ResolvedOnTime), Rate(g.Count(x => x.ForwardOnTime), g.Count()), Rate(g.Count(x => x.ResolvedOnTime), g.Count())))
            .OrderBy(r => r.ResolveRate).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        var byCategory = handled.GroupBy(h => h.CategoryCode ?? "?")
            .Select(g => new OnTimeRate(g.Key, categoryNames.GetValueOrDefault(g.Key, g.Key), g.Count(), g.Count(x => x.ForwardOnTime), g.Count(x => x.ResolvedOnTime), Rate(g.Count(x => x.ForwardOnTime), g.Count()), Rate(g.Count(x => x.ResolvedOnTime), g.Count())))
            .OrderBy(r => r.ResolveRate).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
        var overdue = rows.Count(r => r.Status is ReportStatus.Routed or ReportStatus.InProgress && r.DueAt < now);
        return TypedResults.Ok(new SlaFigures(first, last, rows.Count, rows.Count(r => r.Status == ReportStatus.Resolved), overdue, byUnit, byCategory));
    }
}
