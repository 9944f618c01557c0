using System.Globalization;
using System.Text;
using CitizenSensor.Data;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Reports.Inbox;

/// <summary>
/// What a dispatcher asks the inbox for. Every part is optional; <see cref="Show"/> names a preset
/// ("needs-triage", "overdue", "escalated": escalated to the actor's desk) that the other filters narrow further. Dates are the city's days, both included.
/// </summary>
public sealed record InboxFilter(
    string? Show = null, string? Unit = null, string? Ward = null, string? Category = null, string? Status = null, string? Channel = null,
    DateOnly? From = null, DateOnly? To = null, bool? Overdue = null, bool? Escalated = null, string? Q = null, string? After = null, int? Limit = null)
{
    public static readonly string[] Presets = ["needs-triage", "overdue", "escalated"];

    /// <summary>The same filter without its cursor and page size: what an export or a "first page" link uses.</summary>
    public InboxFilter FirstPage() => this with { After = null, Limit = null };
}

/// <summary>One page of the inbox: newest first, and the cursor of the next page when there is one.</summary>
public sealed record InboxPage(IReadOnlyList<StaffReportItem> Items, string? Next);

/// <summary>The inbox's answer: a page, or what is wrong with the request (by field, in the page's language).</summary>
public sealed record InboxOutcome(InboxPage? Page, IReadOnlyDictionary<string, string[]>? Errors);

/// <summary>A located report on the inbox's map (<see cref="ReportInbox.PointsAsync"/>).</summary>
public sealed record ReportPoint(string Code, string Status, double Lat, double Lng);

/// <summary>The map's points for a whole filter: the newest <see cref="ReportInbox.MapLimit"/> at most, and whether there were more.</summary>
public sealed record InboxPoints(IReadOnlyList<ReportPoint>? Points, bool More, IReadOnlyDictionary<string, string[]>? Errors);

/// <summary>One row of an export: a report as the list shows it, with names in words.</summary>
public sealed record InboxRow(
    string Code, string Status, string? Category, string? Unit, string? Ward, string Channel, DateTimeOffset SubmittedAt,
    DateTimeOffset? DueAt, bool Overdue, string? Address, string Description);

/// <summary>
/// The staff inbox: reports in the actor's units (<see cref="UnitScope"/>), filtered, searched without diacritics
/// (<see cref="ReportSearch"/>) and paged by a keyset cursor on (submitted at, code), newest first: page 50 costs what
/// page 1 costs, and a report arriving meanwhile neither repeats nor hides a row. The staff API, the inbox page and
/// its exports all read through here.
/// </summary>
public sealed class ReportInbox(CitizenDb db, UnitScope scope, TimeProvider time, ReportDetails details, IStringLocalizer<SharedResource> text)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>The most reports the map draws: the newest ones of the filter beyond it (said on the page).</summary>
    public const int MapLimit = 2_000;

    public async Task<InboxOutcome> PageAsync(StaffActor actor, InboxFilter filter, CancellationToken cancellationToken)
    {
        var (query, errors) = await FilteredAsync(actor, filter, cancellationToken);
        if (query is null)
        {
            return new InboxOutcome(null, errors);
        }

        var limit = Math.Clamp(filter.Limit ?? DefaultLimit, 1, MaxLimit);
        var rows = await query.Take(limit + 1).ToListAsync(cancellationToken);
        var next = rows.Count > limit ? Cursor.Of(rows[limit - 1]) : null;
        rows = rows.Count > limit ? rows.GetRange(0, limit) : rows;
        var names = await details.UnitNamesAsync(rows.SelectMany(r => new[] { r.UnitCode, r.WardCode }), cancellationToken);
        var categories = await details.CategoriesAsync(cancellationToken);
        var now = time.GetUtcNow();
        var items = rows.Select(r => new StaffReportItem(
            r.Code, ReportViews.StatusCode(r.Status), ReportDetails.Category(categories, r.CategoryCode), ReportDetails.Link(names, r.UnitCode), r.WardCode, r.Channel,
            r.SubmittedAt, r.RoutedAt, r.DueAt, IsOverdue(r.Status, r.DueAt, now), r.EscalatedAt is not null,
            r.Description.Length > 140 ? r.Description[..140] + "…" : r.Description, r.Latitude, r.Longitude, details.TriageReason(r.TriageReason, categories),
            r.Address, ReportDetails.Link(names, r.WardCode))).ToList();
        return new InboxOutcome(new InboxPage(items, next), null);
    }

    /// <summary>Every report the filter selects (no page), read as it is written out: for exports of any size.</summary>
    public async Task<(IAsyncEnumerable<InboxRow>? Rows, IReadOnlyDictionary<string, string[]>? Errors)> AllAsync(StaffActor actor, InboxFilter filter, CancellationToken cancellationToken)
    {
        var (query, errors) = await FilteredAsync(actor, filter.FirstPage(), cancellationToken);
        if (query is null)
        {
            return (null, errors);
        }

        // Unit names and categories are few: load them once rather than per row.
        var names = await db.Units.AsNoTracking().IgnoreQueryFilters().ToDictionaryAsync(u => u.Code, u => u.Name, cancellationToken);
        var categories = await details.CategoriesAsync(cancellationToken);
        var now = time.GetUtcNow();
        return (query.AsAsyncEnumerable().Select(r => new InboxRow(
            r.Code, text["Status_" + ReportViews.StatusCode(r.Status)], ReportDetails.Category(categories, r.CategoryCode)?.Name,
            ReportDetails.Link(names, r.UnitCode)?.Name, ReportDetails.Link(names, r.WardCode)?.Name, text["Channel_" + r.Channel],
            r.SubmittedAt, r.DueAt, IsOverdue(r.Status, r.DueAt, now), r.Address, r.Description)), null);
    }

    /// <summary>
    /// Every located report the filter selects, not only the page's, newest first and at most <see cref="MapLimit"/>:
    /// the map beside the list shows where the whole filter's reports are.
    /// </summary>
    public async Task<InboxPoints> PointsAsync(StaffActor actor, InboxFilter filter, CancellationToken cancellationToken)
    {
        var (query, errors) = await FilteredReportsAsync(actor, filter.FirstPage(), cancellationToken);
        if (query is null)
        {
            return new InboxPoints(null, false, errors);
        }

        var rows = await query.Where(r => r.Latitude != null && r.Longitude != null)
            .Select(r => new { r.Code, r.Status, r.Latitude, r.Longitude }).Take(MapLimit + 1).ToListAsync(cancellationToken);
        var points = rows.Take(MapLimit).Select(r => new ReportPoint(r.Code, ReportViews.StatusCode(r.Status), r.Latitude!.Value, r.Longitude!.Value)).ToList();
        return new InboxPoints(points, rows.Count > MapLimit, null);
    }

    /// <summary>The SLA's rule (<see cref="SlaMonitor"/>): a routed or accepted report past its due time.</summary>
    public static bool IsOverdue(ReportStatus status, DateTimeOffset? dueAt, DateTimeOffset now) =>
        status is ReportStatus.Routed or ReportStatus.InProgress && dueAt < now;

    private sealed record Row(
        string Code, ReportStatus Status, string? CategoryCode, string? UnitCode, string? WardCode, string Channel, DateTimeOffset SubmittedAt,
        DateTimeOffset? RoutedAt, DateTimeOffset? DueAt, DateTimeOffset? EscalatedAt, string Description, string? Address,
        double? Latitude, double? Longitude, string? TriageReason);

    private async Task<(IQueryable<Row>? Query, IReadOnlyDictionary<string, string[]>? Errors)> FilteredAsync(StaffActor actor, InboxFilter filter, CancellationToken cancellationToken)
    {
        var (query, errors) = await FilteredReportsAsync(actor, filter, cancellationToken);
        return (query?.Select(r => new Row(
            r.Code, r.Status, r.CategoryCode, r.UnitCode, r.WardCode, r.Channel, r.SubmittedAt, r.RoutedAt, r.DueAt, r.EscalatedAt,
            r.Description, r.Address, r.Latitude, r.Longitude, r.TriageReason)), errors);
    }

    /// <summary>The actor's reports that the filter selects, newest first (then by code, the cursor's order).</summary>
    private async Task<(IQueryable<Report>? Query, IReadOnlyDictionary<string, string[]>? Errors)> FilteredReportsAsync(StaffActor actor, InboxFilter filter, CancellationToken cancellationToken)
    {
        scope.RestrictTo(actor);
        var errors = new Dictionary<string, string[]>();
        var query = db.Reports.AsNoTracking();
        query = Preset(query, filter.Show, actor, errors);
        query = await ByUnitAsync(query, filter.Unit, errors, cancellationToken);
        query = Where(query, filter.Ward, ward => r => r.WardCode == ward);
        query = Where(query, filter.Category, category => r => r.CategoryCode == category);
        query = Where(query, filter.Channel, channel => r => r.Channel == channel);
        query = ByStatus(query, filter.Status, errors);
        query = ByDates(query, filter.From, filter.To, errors);
        query = filter.Overdue is { } overdue ? ByOverdue(query, overdue) : query;
        query = filter.Escalated is { } escalated ? query.Where(r => (r.EscalatedAt != null) == escalated) : query;
        query = await SearchAsync(query, filter.Q, cancellationToken);

        query = After(query, filter.After, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (query.OrderByDescending(r => r.SubmittedAt).ThenByDescending(r => r.Code), null);
    }

    /// <summary>
    /// Every word, without diacritics, somewhere in the code, description or address. A whole report code is looked up
    /// by its index first: a rare string would otherwise cost a scan of every report in scope.
    /// </summary>
    private async Task<IQueryable<Report>> SearchAsync(IQueryable<Report> query, string? text, CancellationToken cancellationToken)
    {
        var code = Report.NormalizeCode(text ?? "");
        if (code.Length == Report.CodeLength && code.All(Report.CodeAlphabet.Contains))
        {
            var exact = query.Where(r => r.Code == code);
            if (await exact.AnyAsync(cancellationToken))
            {
                return exact;
            }
        }

        var words = VietnameseText.Tokens(text);
        return words.Length == 0 ? query : await ReportSearch.ContainingAsync(db, query, words, cancellationToken);
    }

    private static IQueryable<Report> Where(IQueryable<Report> query, string? value, Func<string, System.Linq.Expressions.Expression<Func<Report, bool>>> predicate) =>
        string.IsNullOrWhiteSpace(value) ? query : query.Where(predicate(value.Trim()));

    private IQueryable<Report> Preset(IQueryable<Report> query, string? show, StaffActor actor, Dictionary<string, string[]> errors) => show switch
    {
        null or "" => query,
        "needs-triage" => query.Where(r => r.Status == ReportStatus.NeedsTriage),
        "overdue" => ByOverdue(query, true),
        "escalated" => EscalatedTo(query, actor),
        _ => Refuse(query, errors, "show", "Inbox_BadPreset"),
    };

    /// <summary>
    /// What the SLA escalated to the actor's desk (<see cref="ReportEscalation"/>): administrators get what the triage
    /// desk did not forward in time, the desk gets what units left without a result; other roles see every escalation in
    /// their units.
    /// </summary>
    private static IQueryable<Report> EscalatedTo(IQueryable<Report> query, StaffActor actor)
    {
        var desk = actor.IsAdmin ? ReportEscalation.Administrators
            : actor.Roles.Contains(StaffRoles.CityTriage) ? ReportEscalation.TriageDesk : null;
        return desk is null ? query.Where(r => r.EscalatedAt != null) : query.Where(r => r.EscalatedAt != null && r.EscalatedTo == desk);
    }

    private IQueryable<Report> ByOverdue(IQueryable<Report> query, bool overdue)
    {
        var now = time.GetUtcNow();
        return overdue
            ? query.Where(r => (r.Status == ReportStatus.Routed || r.Status == ReportStatus.InProgress) && r.DueAt < now)
            : query.Where(r => !((r.Status == ReportStatus.Routed || r.Status == ReportStatus.InProgress) && r.DueAt < now));
    }

    /// <summary>The unit and everything below it, within the actor's own units (a unit outside them selects nothing).</summary>
    private async Task<IQueryable<Report>> ByUnitAsync(IQueryable<Report> query, string? unit, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return query;
        }

        var path = await db.Units.AsNoTracking().Where(u => u.Code == unit.Trim()).Select(u => u.UnitPath).SingleOrDefaultAsync(cancellationToken);
        return path is null ? Refuse(query, errors, "unit", "Inbox_BadUnit") : query.Where(r => r.UnitPath != null && r.UnitPath.StartsWith(path));
    }

    private IQueryable<Report> ByStatus(IQueryable<Report> query, string? status, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(status))
        {
            return query;
        }

        return StaffReportsApi.ParseStatus(status.Trim()) is { } wanted ? query.Where(r => r.Status == wanted) : Refuse(query, errors, "status", "Inbox_BadStatus");
    }

    private IQueryable<Report> ByDates(IQueryable<Report> query, DateOnly? from, DateOnly? to, Dictionary<string, string[]> errors)
    {
        if (from > to)
        {
            return Refuse(query, errors, "to", "Inbox_BadDates");
        }

        if (from is { } first)
        {
            var start = CityTime.StartOfDay(first);
            query = query.Where(r => r.SubmittedAt >= start);
        }

        if (to is { } last)
        {
            var end = CityTime.StartOfDay(last.AddDays(1));
            query = query.Where(r => r.SubmittedAt < end);
        }

        return query;
    }

    private IQueryable<Report> After(IQueryable<Report> query, string? after, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(after))
        {
            return query;
        }

        if (Cursor.Parse(after) is not { } position)
        {
            return Refuse(query, errors, "after", "Inbox_BadCursor");
        }

        var (at, code) = position;
#pragma warning disable CA1309 // string.Compare is what EF translates to the database's "<"; codes are upper-case ASCII, alike in every collation
        return query.Where(r => r.SubmittedAt < at || (r.SubmittedAt == at && string.Compare(r.Code, code) < 0));
#pragma warning restore CA1309
    }

    private IQueryable<Report> Refuse(IQueryable<Report> query, Dictionary<string, string[]> errors, string field, string key)
    {
        errors[field] = [text[key]];
        return query;
    }

    /// <summary>"Continue after this report": its time and code, opaque to the client.</summary>
    private static class Cursor
    {
        public static string Of(Row row) =>
            Base64Url(row.SubmittedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + "." + row.Code);

        public static (DateTimeOffset At, string Code)? Parse(string cursor)
        {
            try
            {
                var plain = Encoding.UTF8.GetString(Convert.FromBase64String(cursor.Replace('-', '+').Replace('_', '/').PadRight((cursor.Length + 3) / 4 * 4, '=')));
                var dot = plain.IndexOf('.', StringComparison.Ordinal);
                return dot > 0 && long.TryParse(plain[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                    && ticks <= DateTimeOffset.MaxValue.UtcTicks && plain.Length - dot - 1 is > 0 and <= Report.CodeLength
                    ? (new DateTimeOffset(ticks, TimeSpan.Zero), plain[(dot + 1)..])
                    : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        private static string Base64Url(string plain) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(plain)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
