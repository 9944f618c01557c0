using System.Text.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Reports.Inbox;
using CitizenSensor.Features.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// The staff inbox: the filters as a GET form (works without JavaScript), the reports as cards, a map of them, a
/// "next page" link (keyset cursor), bulk route / ward / reject of the ticked reports, and exports of the whole filtered
/// list. All of it reads through <see cref="ReportInbox"/>, as the staff API does.
/// </summary>
[Authorize]
public sealed class StaffQueuePageModel(CitizenDb db, UnitScope scope, ReportInbox inbox, InboxBulk bulk, InboxExport export) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public InboxFilter Filter { get; set; } = new();

    public IReadOnlyList<StaffReportItem> Items { get; private set; } = [];

    public string? Next { get; private set; }

    public IReadOnlyList<string> Problems { get; private set; } = [];

    public IReadOnlyList<BulkItemResult>? BulkResults { get; private set; }

    public IReadOnlyList<UnitChoice> Units { get; private set; } = [];

    /// <summary>The units a report can be routed to: those of <see cref="Units"/> that handle reports.</summary>
    public IReadOnlyList<UnitChoice> RouteUnits { get; private set; } = [];

    public IReadOnlyList<DistrictChoice> Wards { get; private set; } = [];

    public IReadOnlyList<CategoryView> Categories { get; private set; } = [];

    public string PointsJson { get; private set; } = "[]";

    /// <summary>The filter has more located reports than the map draws (<see cref="ReportInbox.MapLimit"/>).</summary>
    public bool MapHasMore { get; private set; }

    public StaffActor Actor => StaffActor.From(User);

    public bool MayRoute => ReportActions.Permits(Actor, ReportActions.Route);

    public bool MayAssignWard => ReportActions.Permits(Actor, ReportActions.AssignWard);

    public bool MayReject => ReportActions.Permits(Actor, ReportActions.Reject);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await ShowAsync(cancellationToken);

    /// <summary>The whole filtered list as a file (no page size).</summary>
    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return await ShowAsync(cancellationToken);
        }

        var (file, errors) = await export.BuildAsync(Actor, Filter, format, cancellationToken);
        if (file is not null)
        {
            return file;
        }

        Problems = [.. errors!.SelectMany(e => e.Value)];
        Response.StatusCode = StatusCodes.Status400BadRequest;
        Filter = new();
        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostBulkAsync(BulkRequest request, CancellationToken cancellationToken)
    {
        var outcome = await bulk.ApplyAsync(Actor, request, cancellationToken);
        BulkResults = outcome.Items;
        if (outcome.Errors is { } errors)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Problems = [.. errors.SelectMany(e => e.Value)];
        }

        return await ShowAsync(cancellationToken);
    }

    /// <summary>The query string of this list with some parts changed (null removes a part): for links.</summary>
    public string Link(string? after = null, string? handler = null, string? format = null)
    {
        var query = Request.Query.Where(p => p.Key is not ("after" or "handler" or "format") && !string.IsNullOrEmpty(p.Value))
            .SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v ?? "")))
            .Concat(new[] { KeyValuePair.Create("after", after), KeyValuePair.Create("handler", handler), KeyValuePair.Create("format", format) }
                .Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, p.Value!)));
        return "/staff/reports" + new Microsoft.AspNetCore.Http.Extensions.QueryBuilder(query);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid && Problems.Count == 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Problems = [.. ModelState.Where(e => e.Key.StartsWith(nameof(Filter), StringComparison.Ordinal)).SelectMany(e => e.Value!.Errors).Select(e => e.ErrorMessage)];
            Filter = new();
        }

        var outcome = await inbox.PageAsync(Actor, Filter, cancellationToken);
        if (outcome.Page is { } page)
        {
            (Items, Next) = (page.Items, page.Next);
        }
        else
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Problems = [.. Problems, .. outcome.Errors!.SelectMany(e => e.Value)];
        }

        await LoadChoicesAsync(cancellationToken);
        // The map shows the whole filter, not only this page's reports.
        var map = outcome.Page is null ? null : await inbox.PointsAsync(Actor, Filter, cancellationToken);
        PointsJson = JsonSerializer.Serialize(map?.Points ?? [], JsonSerializerOptions.Web);
        MapHasMore = map?.More ?? false;
        return Page();
    }

    /// <summary>The form's lists, in words: the actor's cities and units that handle reports (by set, with its dates), the wards inside them, the active categories.</summary>
    private async Task LoadChoicesAsync(CancellationToken cancellationToken)
    {
        scope.RestrictTo(Actor);
        Units = await FigureArea.ChoicesAsync(db, cancellationToken);
        RouteUnits = [.. Units.Where(u => u.Handles)];
        var units = await db.Units.AsNoTracking().Where(u => u.ParentCode != null)
            .Select(u => new { u.Code, u.Name, u.ParentCode }).ToListAsync(cancellationToken);
        var children = units.ToLookup(u => u.ParentCode);
        var handling = RouteUnits.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var parents = units.Where(u => handling.Contains(u.Code)).OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
        Wards = [.. parents.Select(p => new DistrictChoice(p.Name, [.. children[p.Code].Where(w => !children[w.Code].Any())
            .OrderBy(w => w.Name, StringComparer.Ordinal).Select(w => new WardChoice(w.Code, w.Name))])).Where(d => d.Wards.Count > 0)];
        Categories = await db.Categories.AsNoTracking().Where(c => c.Active).OrderBy(c => c.SortOrder)
            .Select(c => new CategoryView(c.Code, ReportViews.English ? c.NameEn : c.NameVi)).ToListAsync(cancellationToken);
    }
}
