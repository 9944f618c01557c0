using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// One report for staff, with the actions the signed-in role may take. Every action goes through
/// <see cref="ReportHandling"/>, the same service as the staff API, so the same rules hold at both doors.
/// </summary>
[Authorize]
public sealed class StaffReportPageModel(CitizenDb db, UnitScope scope, ReportDetails details, ReportHandling handling, IStringLocalizer<SharedResource> text) : PageModel
{
    public StaffReportDetail? Report { get; private set; }

    public string? Problem { get; private set; }

    /// <summary>The action just done, for the confirmation line (post, redirect, get).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    /// <summary>Units matching what the dispatcher typed, when more than one did.</summary>
    public IReadOnlyList<UnitChoice> RouteChoices { get; private set; } = [];

    public IReadOnlyList<CategoryView> Categories { get; private set; } = [];

    public IReadOnlyList<UnitLink> Wards { get; private set; } = [];

    public StaffActor Actor => StaffActor.From(User);

    public bool May(string action) => ReportActions.Permits(Actor, action);

    public sealed record UnitChoice(string Code, string Name, string? Parent);

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken) => await ShowAsync(code, cancellationToken);

    public async Task<IActionResult> OnPostAcceptAsync(string code, int? version, CancellationToken cancellationToken) =>
        await AfterAsync(code, ReportActions.Accept, await handling.AcceptAsync(Actor, code, version, cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostWardAsync(string code, int? version, string? wardCode, CancellationToken cancellationToken) =>
        await AfterAsync(code, ReportActions.AssignWard, await handling.AssignWardAsync(Actor, code, wardCode, version, cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostResolveAsync(string code, int? version, string? result, long? fine, bool suspend, CancellationToken cancellationToken) =>
        await AfterAsync(code, ReportActions.Resolve, await handling.ResolveAsync(Actor, code, result, fine, suspend, version, cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostRejectAsync(string code, int? version, string? reason, string? note, CancellationToken cancellationToken) =>
        await AfterAsync(code, ReportActions.Reject, await handling.RejectAsync(Actor, code, reason, note, version, cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostMergeAsync(string code, int? version, string? original, CancellationToken cancellationToken) =>
        await AfterAsync(code, ReportActions.Merge, await handling.MergeAsync(Actor, code, original, version, cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostCategoryAsync(string code, int? version, string? category, CancellationToken cancellationToken) =>
        await AfterAsync(code, ReportActions.SetCategory, await handling.SetCategoryAsync(Actor, code, category, version, cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostCloseAsync(string code, int? version, string? result, CancellationToken cancellationToken) =>
        await AfterAsync(code, ReportActions.Close, await handling.CloseAsync(Actor, code, result, version, cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostReopenAsync(string code, int? version, string? reason, CancellationToken cancellationToken) =>
        await AfterAsync(code, ReportActions.Reopen, await handling.ReopenAsync(Actor, code, reason, version, cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostNoteAsync(string code, string? text, CancellationToken cancellationToken) =>
        await AfterAsync(code, ReportActions.AddNote, await handling.AddNoteAsync(Actor, code, text, cancellationToken), cancellationToken);

    /// <summary>Routes to the unit typed (a code, or a name with or without diacritics); several matches are offered to choose from.</summary>
    public async Task<IActionResult> OnPostRouteAsync(string code, int? version, string? unit, string? category, CancellationToken cancellationToken)
    {
        var candidates = await UnitCandidatesAsync(unit, cancellationToken);
        if (candidates.Count == 1 || !ReportActions.Permits(Actor, ReportActions.Route))
        {
            var target = candidates.Count == 1 ? candidates[0].Code : unit;
            return await AfterAsync(code, ReportActions.Route, await handling.RouteAsync(Actor, code, target, category, version, cancellationToken), cancellationToken);
        }

        if (candidates.Count == 0)
        {
            Problem = text["Triage_NoUnitMatches", unit ?? ""];
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        RouteChoices = candidates;
        return await ShowAsync(code, cancellationToken);
    }

    private async Task<List<UnitChoice>> UnitCandidatesAsync(string? typed, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return [];
        }

        // The desk's own units only (the scope filter), never a city itself.
        scope.RestrictTo(Actor);
        var units = db.Units.AsNoTracking().Where(u => u.ParentCode != null);
        var exact = await units.Where(u => u.Code == typed.Trim()).Select(u => new UnitChoice(u.Code, u.Name, u.Parent!.Name)).ToListAsync(cancellationToken);
        return exact.Count > 0 ? exact : await UnitSearch.Matching(units, typed)
            .OrderBy(u => u.SearchName.Length).ThenBy(u => u.SearchName).Take(20)
            .Select(u => new UnitChoice(u.Code, u.Name, u.Parent!.Name)).ToListAsync(cancellationToken);
    }

    private async Task<IActionResult> AfterAsync(string code, string action, Outcome<Report> outcome, CancellationToken cancellationToken)
    {
        switch (outcome)
        {
            case Outcome<Report>.Done:
                return RedirectToPage(new { code, done = action }); // post, redirect, get: a reload does not act twice
            case Outcome<Report>.NotFound:
                return NotFound();
            case Outcome<Report>.Forbidden forbidden:
                (Problem, Response.StatusCode) = (forbidden.Message, StatusCodes.Status403Forbidden);
                break;
            case Outcome<Report>.Conflict conflict:
                (Problem, Response.StatusCode) = (conflict.Message, StatusCodes.Status409Conflict);
                break;
            case Outcome<Report>.Invalid invalid:
                (Problem, Response.StatusCode) = (string.Join(" ", invalid.Errors.SelectMany(e => e.Value)), StatusCodes.Status400BadRequest);
                break;
        }

        Done = null;
        var shown = await ShowAsync(code, cancellationToken);
        // A role without the right gets the same 403 whether or not the report is in its units, as at the API.
        return shown is NotFoundResult && outcome is Outcome<Report>.Forbidden ? StatusCode(StatusCodes.Status403Forbidden) : shown;
    }

    private async Task<IActionResult> ShowAsync(string code, CancellationToken cancellationToken)
    {
        Report = await details.LoadAsync(code, Actor, cancellationToken);
        if (Report is null)
        {
            return NotFound();
        }

        Done = Done is not null && ReportActions.All.Contains(Done) ? Done : null;
        if (May(ReportActions.SetCategory) || May(ReportActions.Route))
        {
            var english = ReportViews.English;
            Categories = await db.Categories.AsNoTracking().Where(c => c.Active).OrderBy(c => c.SortOrder)
                .Select(c => new CategoryView(c.Code, english ? c.NameEn : c.NameVi)).ToListAsync(cancellationToken);
        }

        if (May(ReportActions.AssignWard) && Report.Unit is { } unit)
        {
            Wards = await db.Units.AsNoTracking().Where(u => u.ParentCode == unit.Code).OrderBy(u => u.Name)
                .Select(u => new UnitLink(u.Code, u.Name)).ToListAsync(cancellationToken);
        }

        return Page();
    }
}
