using CitizenSensor.Data;
using CitizenSensor.Features.Declarations;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Tracing;

/// <summary>The tracing figures of one reporting day (or a handling unit on it).</summary>
public sealed record TracingCounts(int Cases, int F1, int F2, int F1Reached24h);

public sealed record TracingDistrictFigures(string Code, string Name, int Cases, int F1, int F2, int F1Reached24h);

public sealed record TracingDayFigures(DateOnly Date, int Cases, int F1, int F2, int F1Reached24h);

/// <summary>
/// Tracing on a reporting day in a unit: new cases (F0, by the ward where they isolate), new F1s and F2s (by the
/// venue's ward), F1s reached within 24 hours and F1s still inside their 24 hours, the day before, each handling unit,
/// and the last 30 days.
/// </summary>
public sealed record TracingFiguresView(DateOnly Date, string ReportingDay, DateTimeOffset From, DateTimeOffset To, UnitName? Unit, TracingCounts OnDay,
    int F1Pending, TracingCounts PreviousDay, IReadOnlyList<TracingDistrictFigures> ByDistrict, IReadOnlyList<TracingDayFigures> Last30Days);

/// <summary>
/// Reads the tracing figures from the day figures (<see cref="TracingDay"/>), which outlive the cases, plus the F1s whose
/// 24 hours have not been settled yet (at most a day's, read live).
/// </summary>
public sealed class TracingFigures(CitizenDb db, UnitScope scope, TimeProvider time, DeclarationOptions declarations)
{
    public const int ChartDays = 30;

    public async Task<Outcome<TracingFiguresView>> FiguresAsync(StaffActor actor, string? date, string? unit, string? day, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var definition = DeclarationFiguresApi.ParseDay(day, declarations.ReportingDay, errors);

        var now = time.GetUtcNow();
        var latest = Declaration.ReportingDayOf(now, definition == 0 ? ReportingDay.Calendar : definition);
        var reportDay = latest;
        if (date is not null && (!DateOnly.TryParseExact(date, "yyyy-MM-dd", out reportDay) || reportDay > latest || reportDay.Year < 2000))
        {
            errors["date"] = [$"'date' must be a day in the form YYYY-MM-DD, from 2000 and not after the current reporting day ({latest:yyyy-MM-dd})."];
        }

        if (errors.Count > 0)
        {
            return Outcome.Invalid<TracingFiguresView>(errors);
        }

        scope.RestrictTo(actor);
        var (area, problem) = await FigureArea.ResolveForAsync(db, actor, unit, cancellationToken);
        if (area is null)
        {
            return new Outcome<TracingFiguresView>.NotFound(problem!);
        }

        var first = reportDay.AddDays(1 - ChartDays);
        var rows = await db.Set<TracingDay>().AsNoTracking()
            .Where(d => d.Definition == definition && d.Day >= first.AddDays(-1) && d.Day <= reportDay && d.UnitPath.StartsWith(area.Path))
            .GroupBy(d => new { d.Day, d.DistrictCode })
            .Select(g => new Row(g.Key.Day, g.Key.DistrictCode, g.Sum(d => d.Cases), g.Sum(d => d.F1), g.Sum(d => d.F2), g.Sum(d => d.F1Reached)))
            .ToListAsync(cancellationToken);
        var (reachedLive, pending) = await UnsettledAsync(area, definition, first.AddDays(-1), reportDay, now, cancellationToken);
        rows.AddRange(reachedLive);

        var onDay = rows.Where(r => r.Day == reportDay).ToList();
        var byDistrict = onDay.GroupBy(r => r.District).Select(g => (g.Key, Counts: Sum(g)))
            .Select(d => new TracingDistrictFigures(d.Key, area.DistrictName(d.Key), d.Counts.Cases, d.Counts.F1, d.Counts.F2, d.Counts.F1Reached24h))
            .Where(d => d.Cases + d.F1 + d.F2 > 0).OrderByDescending(d => d.Cases).ThenByDescending(d => d.F1).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
        var series = Enumerable.Range(0, ChartDays).Select(i => first.AddDays(i))
            .Select(d => (Day: d, Counts: Sum(rows.Where(r => r.Day == d))))
            .Select(d => new TracingDayFigures(d.Day, d.Counts.Cases, d.Counts.F1, d.Counts.F2, d.Counts.F1Reached24h)).ToList();
        var (from, to) = DeclarationFiguresApi.Window(reportDay, definition);
        return Outcome.Done(new TracingFiguresView(reportDay, DeclarationFiguresApi.Name(definition), from, to, area.Unit, Sum(onDay),
            pending.GetValueOrDefault(reportDay), Sum(rows.Where(r => r.Day == reportDay.AddDays(-1))), byDistrict, series));
    }

    private sealed record Row(DateOnly Day, string District, int Cases, int F1, int F2, int Reached);

    private static TracingCounts Sum(IEnumerable<Row> rows)
    {
        var list = rows.ToList();
        return new(list.Sum(r => r.Cases), list.Sum(r => r.F1), list.Sum(r => r.F2), list.Sum(r => r.Reached));
    }

    /// <summary>
    /// The F1s not settled yet (their 24 hours have not passed, or the settling job has not run since): those already
    /// reached count as reached on their day; those still inside their 24 hours and not reached are pending.
    /// </summary>
    private async Task<(List<Row> Reached, Dictionary<DateOnly, int> Pending)> UnsettledAsync(
        FigureArea area, ReportingDay definition, DateOnly first, DateOnly last, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = DeclarationFiguresApi.Window(first, definition).From;
        var open = await db.Set<Exposure>().AsNoTracking()
            .Where(e => e.Generation == 1 && e.ReachedInTime == null && e.FoundAt >= since && e.UnitPath.StartsWith(area.Path))
            .Join(db.Venues.IgnoreQueryFilters(), e => e.VenueId, v => v.Id, (e, v) => new { e.FoundAt, v.DistrictCode, Closed = e.FollowUp == null ? null : e.FollowUp.ClosedAt, e.FollowUp!.Outcome })
            .ToListAsync(cancellationToken);
        var reached = open.Where(e => TracingRetention.Reached(e.FoundAt, e.Closed, e.Outcome))
            .Select(e => new Row(Declaration.ReportingDayOf(e.FoundAt, definition), e.DistrictCode, 0, 0, 0, 1)).Where(r => r.Day <= last).ToList();
        var pending = open.Where(e => !TracingRetention.Reached(e.FoundAt, e.Closed, e.Outcome) && e.FoundAt + TracingRetention.ReachWithin > now)
            .GroupBy(e => Declaration.ReportingDayOf(e.FoundAt, definition)).ToDictionary(g => g.Key, g => g.Count());
        return (reached, pending);
    }
}
