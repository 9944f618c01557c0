using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// Which reports the figures cover: city days [From, To] (default the last 30), and optionally one unit, category or
/// channel. <paramref name="In"/>: a unit set's id, to count every report under that set's units (2021 reports in
/// today's communes, by their point or the reform's mapping); by default each report stays in the units it was placed in.
/// </summary>
public sealed record StatsQuery(DateOnly? From, DateOnly? To, string? Unit, string? Category, string? Channel, string? In = null);

/// <summary>Reports received under one unit, category, channel or day, named in the reader's language.</summary>
public sealed record StatsCount(string Key, string Name, int Received);

/// <summary>Per day: received, and results given that day.</summary>
public sealed record StatsDay(DateOnly Day, int Received, int Resolved);

/// <summary>
/// The seed's two promises for one unit or category. Forwarding counts every report forwarded, and every one still
/// waiting past its category's forward window; results count every forwarded report (rejections aside) that got a
/// result or is past its due time. A rate is null when nothing counts yet.
/// </summary>
public sealed record PromiseRate(string Key, string Name, int Forwarded, int ForwardedOnTime, double? ForwardRate, int Results, int ResultsOnTime, double? ResultRate);

public sealed record ReportStats(
    DateOnly From, DateOnly To, int Received,
    IReadOnlyList<StatsCount> ByCategory, IReadOnlyList<StatsCount> ByUnit, IReadOnlyList<StatsCount> ByChannel, IReadOnlyList<StatsDay> ByDay,
    PromiseRate Overall, IReadOnlyList<PromiseRate> RatesByUnit, IReadOnlyList<PromiseRate> RatesByCategory,
    double? MedianMinutesToForward, double? MedianMinutesToResult, long FinesVnd, int FinedReports, int Suspensions);

public abstract record StatsOutcome
{
    public sealed record Figures(ReportStats Stats) : StatsOutcome;

    public sealed record Rows(IReadOnlyList<string> Headers, IAsyncEnumerable<object?[]> Items, DateOnly From, DateOnly To) : StatsOutcome;

    public sealed record Forbidden(string Message) : StatsOutcome;

    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : StatsOutcome;
}

/// <summary>
/// Report statistics for the staff member's own units (<see cref="UnitScope"/>): received by category, unit, channel
/// and day; the forward and result promises kept, with the windows each category sets (<see cref="Category.ForwardWithinMinutes"/>,
/// and the due time set from <see cref="Category.ResolveWithinMinutes"/> at forwarding); median times; fines and
/// suspensions; and the same reports, one row each, for export. Counts and sums are taken in the database; the
/// timings are read as one narrow forward-only projection (SQLite keeps times as packed integers that SQL cannot
/// subtract), holding only the durations the medians need.
/// </summary>
public sealed class ReportStatistics(CitizenDb db, UnitScope scope, TimeProvider time, JurisdictionCatalog catalog, IStringLocalizer<SharedResource> text)
{
    public const int MaxDays = 366;
    public const int DefaultDays = 30;

    private static readonly string[] Roles = [StaffRoles.Admin, StaffRoles.CityTriage, StaffRoles.UnitOfficer, StaffRoles.Viewer];

    private static readonly string[] Channels = [ReportChannels.Web, ReportChannels.App, ReportChannels.Open311, ReportChannels.Phone, ReportChannels.Email, ReportChannels.Facebook];

    /// <summary>The key under which reports count that a split of their old unit leaves without a unit of the set asked for.</summary>
    public const string UnsettledUnit = "unsettled";

    /// <summary>The query checked: its days, the reports it selects (not yet read), the categories and the default forward window; and,
    /// given a set to count in, each report's handling unit key in it (<see cref="UnsettledUnit"/> when not settled).</summary>
    private sealed record Prepared(DateOnly From, DateOnly To, IQueryable<Report> Reports, Dictionary<string, Category> Categories, int DefaultForward, Func<Timing, string?>? UnitIn);

    private sealed record Timing(string? UnitCode, string? WardCode, double? Latitude, double? Longitude, string? CategoryCode, ReportStatus Status,
        DateTimeOffset SubmittedAt, DateTimeOffset? RoutedAt, DateTimeOffset? DueAt, DateTimeOffset? ResolvedAt);

    public async Task<StatsOutcome> ComputeAsync(StaffActor actor, StatsQuery query, CancellationToken cancellationToken)
    {
        var (prepared, refusal) = await PrepareAsync(actor, query, cancellationToken);
        if (prepared is null)
        {
            return refusal!;
        }

        var reports = prepared.Reports;
        var byCategory = await reports.GroupBy(r => r.CategoryCode).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var byChannel = await reports.GroupBy(r => r.Channel).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var finesVnd = await reports.SumAsync(r => r.FineVnd ?? 0, cancellationToken);
        var fined = await reports.CountAsync(r => r.FineVnd > 0, cancellationToken);
        var suspensions = await reports.CountAsync(r => r.BusinessSuspended, cancellationToken);
        var names = await NamesAsync(cancellationToken);

        var timings = new TimingTally(prepared, time.GetUtcNow());
        await foreach (var row in reports.Select(r => new Timing(r.UnitCode, r.WardCode, r.Latitude, r.Longitude, r.CategoryCode, r.Status, r.SubmittedAt, r.RoutedAt, r.DueAt, r.ResolvedAt))
            .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            timings.Add(row);
        }

        return new StatsOutcome.Figures(new ReportStats(
            prepared.From, prepared.To, byChannel.Sum(c => c.Count),
            [.. byCategory.Select(c => new StatsCount(c.Key ?? "", CategoryName(prepared, c.Key), c.Count)).OrderByDescending(c => c.Received).ThenBy(c => c.Name, StringComparer.Ordinal)],
            [.. timings.ReceivedByUnit.Select(u => new StatsCount(u.Key, UnitName(names, u.Key.Length == 0 ? null : u.Key), u.Value)).OrderByDescending(u => u.Received).ThenBy(u => u.Name, StringComparer.Ordinal)],
            [.. byChannel.Select(c => new StatsCount(c.Key, ChannelName(c.Key), c.Count)).OrderByDescending(c => c.Received).ThenBy(c => c.Name, StringComparer.Ordinal)],
            timings.Days(),
            timings.Overall.Rate("", text["Stats_AllReports"]),
            [.. timings.ByUnit.Select(u => u.Value.Rate(u.Key, UnitName(names, u.Key.Length == 0 ? null : u.Key))).OrderBy(r => r.Name, StringComparer.Ordinal)],
            [.. timings.ByCategory.Select(c => c.Value.Rate(c.Key, CategoryName(prepared, c.Key.Length == 0 ? null : c.Key))).OrderBy(r => r.Name, StringComparer.Ordinal)],
            Median(timings.MinutesToForward), Median(timings.MinutesToResult),
            finesVnd, fined, suspensions));
    }

    /// <summary>The same reports as rows for <see cref="Infrastructure.Export.TableExport"/>, read as the file is written.</summary>
    public async Task<StatsOutcome> ExportAsync(StaffActor actor, StatsQuery query, CancellationToken cancellationToken)
    {
        var (prepared, refusal) = await PrepareAsync(actor, query, cancellationToken);
        if (prepared is null)
        {
            return refusal!;
        }

        var names = await NamesAsync(cancellationToken);
        string[] headers =
        [
            text["Stats_ColCode"], text["Stats_ColReceived"], text["Stats_ColChannel"], text["Stats_ColCategory"], text["Stats_ColUnit"],
            text["Stats_ColWard"], text["Stats_ColStatus"], text["Stats_ColForwarded"], text["Stats_ColMinutesToForward"], text["Stats_ColForwardOnTime"],
            text["Stats_ColResult"], text["Stats_ColMinutesToResult"], text["Stats_ColResultOnTime"], text["Stats_ColFine"], text["Stats_ColSuspended"],
        ];
        if (prepared.UnitIn is not null)
        {
            headers = [.. headers, text["Stats_ColUnitIn", query.In!.Trim()]];
        }

        return new StatsOutcome.Rows(headers, ExportRows(prepared, names, time.GetUtcNow(), cancellationToken), prepared.From, prepared.To);
    }

    private async IAsyncEnumerable<object?[]> ExportRows(Prepared prepared, IReadOnlyDictionary<string, string> names, DateTimeOffset now, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (yes, no) = (text["Stats_Yes"].Value, text["Stats_No"].Value);
        var rows = prepared.Reports.OrderBy(r => r.SubmittedAt)
            .Select(r => new { r.Code, r.SubmittedAt, r.Channel, r.CategoryCode, r.UnitCode, r.WardCode, r.Latitude, r.Longitude, r.Status, r.RoutedAt, r.DueAt, r.ResolvedAt, r.FineVnd, r.BusinessSuspended })
            .AsAsyncEnumerable();
        await foreach (var r in rows.WithCancellation(cancellationToken))
        {
            var timing = new Timing(r.UnitCode, r.WardCode, r.Latitude, r.Longitude, r.CategoryCode, r.Status, r.SubmittedAt, r.RoutedAt, r.DueAt, r.ResolvedAt);
            var promise = Promise.Of(prepared, timing, now);
            object?[] row =
            [
                r.Code, CityTime.ToLocal(r.SubmittedAt), ChannelName(r.Channel), CategoryName(prepared, r.CategoryCode), UnitName(names, r.UnitCode),
                r.WardCode is null ? null : UnitName(names, r.WardCode), text["Status_" + ReportViews.StatusCode(r.Status)].Value,
                r.RoutedAt is { } routed ? CityTime.ToLocal(routed) : null, Minutes(r.RoutedAt - r.SubmittedAt), YesNo(promise.ForwardCounts, promise.ForwardOnTime),
                r.ResolvedAt is { } resolved ? CityTime.ToLocal(resolved) : null, Minutes(r.ResolvedAt - r.RoutedAt), YesNo(promise.ResultCounts, promise.ResultOnTime),
                r.FineVnd, r.BusinessSuspended ? yes : null,
            ];
            yield return prepared.UnitIn is { } unitIn ? [.. row, UnitName(names, unitIn(timing))] : row;
        }

        string? YesNo(bool counts, bool kept) => counts ? (kept ? yes : no) : null;
    }

    private static double? Minutes(TimeSpan? span) => span is { } s ? Math.Round(s.TotalMinutes, 1) : null;

    /// <summary>Role, scope and the query checked; the reports it selects, not yet read.</summary>
    private async Task<(Prepared? Prepared, StatsOutcome? Refusal)> PrepareAsync(StaffActor actor, StatsQuery query, CancellationToken cancellationToken)
    {
        if (!actor.HasAnyRole(Roles))
        {
            return (null, new StatsOutcome.Forbidden(text["Stats_Forbidden"]));
        }

        scope.RestrictTo(actor);
        var errors = new Dictionary<string, string[]>();
        var to = query.To ?? CityTime.DayOf(time.GetUtcNow());
        var from = query.From ?? to.AddDays(1 - DefaultDays);
        if (from > to || to.DayNumber - from.DayNumber >= MaxDays)
        {
            errors["from"] = [text["Stats_BadRange", MaxDays]];
        }

        var categories = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, cancellationToken);
        if (!string.IsNullOrWhiteSpace(query.Category) && !categories.ContainsKey(query.Category.Trim()))
        {
            errors["category"] = [text["Stats_UnknownCategory", query.Category]];
        }

        if (!string.IsNullOrWhiteSpace(query.Channel) && !Channels.Contains(query.Channel.Trim()))
        {
            errors["channel"] = [text["Stats_UnknownChannel", query.Channel]];
        }

        var unitCode = query.Unit?.Trim();
        var unit = string.IsNullOrEmpty(unitCode) ? null
            : await db.Units.AsNoTracking().Where(u => u.Code == unitCode).Select(u => new { u.Code, u.UnitPath }).SingleOrDefaultAsync(cancellationToken);
        if (!string.IsNullOrEmpty(unitCode) && unit is null)
        {
            errors["unit"] = [text["Stats_UnknownUnit", unitCode]];
        }

        var unitIn = await UnitInAsync(query.In, errors);
        if (errors.Count > 0)
        {
            return (null, new StatsOutcome.Invalid(errors));
        }

        var (start, end) = (CityTime.StartOfDay(from), CityTime.StartOfDay(to.AddDays(1)));
        var reports = db.Reports.AsNoTracking().Where(r => r.SubmittedAt >= start && r.SubmittedAt < end);
        if (unit is not null)
        {
            reports = reports.Where(r => r.WardCode == unit.Code || (r.UnitPath != null && r.UnitPath.StartsWith(unit.UnitPath)));
        }

        if (!string.IsNullOrWhiteSpace(query.Category))
        {
            var category = query.Category.Trim();
            reports = reports.Where(r => r.CategoryCode == category);
        }

        if (!string.IsNullOrWhiteSpace(query.Channel))
        {
            var channel = query.Channel.Trim();
            reports = reports.Where(r => r.Channel == channel);
        }

        // A report not yet classified waits under the shortest window, as the SLA monitor treats it.
        var defaultForward = categories.Values.Select(c => c.ForwardWithinMinutes).DefaultIfEmpty(5).Min();
        return (new Prepared(from, to, reports, categories, defaultForward, unitIn), null);
    }

    /// <summary>With a set to count in: each report's handling unit in that set (<see cref="JurisdictionCatalog.Snapshot.HandlingUnitIn"/>).</summary>
    private async Task<Func<Timing, string?>?> UnitInAsync(string? setId, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(setId))
        {
            return null;
        }

        var snapshot = await catalog.GetAsync();
        if (snapshot.ById(setId.Trim()) is not { } target)
        {
            errors["in"] = [text["Stats_UnknownSet", setId, string.Join(", ", snapshot.Sets.Select(s => s.Set.Id))]];
            return null;
        }

        return r => r.UnitCode is null && r.WardCode is null ? null
            : snapshot.HandlingUnitIn(target, r.UnitCode, r.WardCode, r.Latitude, r.Longitude)?.Code ?? UnsettledUnit;
    }

    private async Task<IReadOnlyDictionary<string, string>> NamesAsync(CancellationToken cancellationToken) =>
        await db.Units.IgnoreQueryFilters().AsNoTracking().ToDictionaryAsync(u => u.Code, u => u.Name, cancellationToken);

    private string UnitName(IReadOnlyDictionary<string, string> names, string? code) =>
        code is null ? text["Stats_NoUnit"] : code == UnsettledUnit ? text["Stats_UnsettledUnit"] : names.GetValueOrDefault(code, code);

    private string CategoryName(Prepared prepared, string? code) =>
        code is not null && prepared.Categories.TryGetValue(code, out var category) ? category.Name(ReportViews.English) : text["Stats_NoCategory"];

    private string ChannelName(string code)
    {
        var name = text["Channel_" + code];
        return name.ResourceNotFound ? code : name.Value;
    }

    internal static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var middle = values.Count / 2;
        var median = values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
        return Math.Round(median, 1);
    }

    /// <summary>Whether a report counts toward each promise, and whether it was kept.</summary>
    private readonly record struct Promise(bool ForwardCounts, bool ForwardOnTime, bool ResultCounts, bool ResultOnTime)
    {
        public static Promise Of(Prepared prepared, Timing r, DateTimeOffset now)
        {
            var window = TimeSpan.FromMinutes(r.CategoryCode is not null && prepared.Categories.TryGetValue(r.CategoryCode, out var c) ? c.ForwardWithinMinutes : prepared.DefaultForward);
            var waiting = r.Status is ReportStatus.Received or ReportStatus.NeedsTriage;
            var forwardCounts = r.RoutedAt is not null || (waiting && r.SubmittedAt + window <= now);
            var forwardOnTime = r.RoutedAt is { } routed && routed - r.SubmittedAt <= window;
            var resultCounts = r.RoutedAt is not null && r.Status != ReportStatus.Rejected && (r.ResolvedAt is not null || r.DueAt <= now);
            var resultOnTime = r.ResolvedAt is { } resolved && r.DueAt is { } due && resolved <= due;
            return new Promise(forwardCounts, forwardOnTime, resultCounts, resultOnTime);
        }
    }

    private sealed class Tally
    {
        private int _forwarded, _forwardedOnTime, _results, _resultsOnTime;

        public void Add(Promise promise)
        {
            _forwarded += promise.ForwardCounts ? 1 : 0;
            _forwardedOnTime += promise.ForwardCounts && promise.ForwardOnTime ? 1 : 0;
            _results += promise.ResultCounts ? 1 : 0;
            _resultsOnTime += promise.ResultCounts && promise.ResultOnTime ? 1 : 0;
        }

        public PromiseRate Rate(string key, string name) =>
            new(key, name, _forwarded, _forwardedOnTime, RateOf(_forwardedOnTime, _forwarded), _results, _resultsOnTime, RateOf(_resultsOnTime, _results));

        private static double? RateOf(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
    }

    /// <summary>One pass over the reports' times: promises per unit and category, durations for the medians, days.</summary>
    private sealed class TimingTally(Prepared prepared, DateTimeOffset now)
    {
        private readonly Dictionary<DateOnly, (int Received, int Resolved)> _days = [];

        public Tally Overall { get; } = new();

        public Dictionary<string, Tally> ByUnit { get; } = [];

        public Dictionary<string, int> ReceivedByUnit { get; } = [];

        public Dictionary<string, Tally> ByCategory { get; } = [];

        public List<double> MinutesToForward { get; } = [];

        public List<double> MinutesToResult { get; } = [];

        public void Add(Timing r)
        {
            var promise = Promise.Of(prepared, r, now);
            Overall.Add(promise);
            var unit = (prepared.UnitIn is { } unitIn ? unitIn(r) : r.UnitCode) ?? "";
            Of(ByUnit, unit).Add(promise);
            ReceivedByUnit[unit] = ReceivedByUnit.GetValueOrDefault(unit) + 1;
            Of(ByCategory, r.CategoryCode ?? "").Add(promise);
            if (r.RoutedAt is { } routed)
            {
                MinutesToForward.Add((routed - r.SubmittedAt).TotalMinutes);
                if (r.ResolvedAt is { } resolved)
                {
                    MinutesToResult.Add((resolved - routed).TotalMinutes);
                }
            }

            var day = CityTime.DayOf(r.SubmittedAt);
            _days[day] = (_days.GetValueOrDefault(day).Received + 1, _days.GetValueOrDefault(day).Resolved);
            if (r.ResolvedAt is { } at && CityTime.DayOf(at) is var resultDay && resultDay >= prepared.From && resultDay <= prepared.To)
            {
                _days[resultDay] = (_days.GetValueOrDefault(resultDay).Received, _days.GetValueOrDefault(resultDay).Resolved + 1);
            }
        }

        public IReadOnlyList<StatsDay> Days() =>
            [.. Enumerable.Range(0, prepared.To.DayNumber - prepared.From.DayNumber + 1).Select(i => prepared.From.AddDays(i))
                .Select(d => new StatsDay(d, _days.GetValueOrDefault(d).Received, _days.GetValueOrDefault(d).Resolved))];

        private static Tally Of(Dictionary<string, Tally> tallies, string key)
        {
            if (!tallies.TryGetValue(key, out var tally))
            {
                tallies[key] = tally = new Tally();
            }

            return tally;
        }
    }
}
