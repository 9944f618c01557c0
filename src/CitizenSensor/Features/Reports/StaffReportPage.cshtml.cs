using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Reports;

/// <summary>One report for the officer, with the same actions as the staff API (they call the same handlers).</summary>
[Authorize]
public sealed class StaffReportPageModel(CitizenDb db, Auditor audit, DuplicateFinder duplicates, ReportChanges changes, TimeProvider time) : PageModel
{
    public StaffReportDetail? Report { get; private set; }

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken) => await ShowAsync(code, cancellationToken);

    public async Task<IActionResult> OnPostAcceptAsync(string code, int? version, CancellationToken cancellationToken) =>
        await AfterAsync(code, await StaffReportsApi.Accept(code, new VersionedRequest(version), changes), cancellationToken);

    public async Task<IActionResult> OnPostResolveAsync(string code, int? version, string? result, long? fine, bool suspend, CancellationToken cancellationToken) =>
        await AfterAsync(code, await StaffReportsApi.Resolve(code, new ResolveRequest(result ?? "", fine, suspend, version), changes, time), cancellationToken);

    public async Task<IActionResult> OnPostRejectAsync(string code, int? version, string? reason, string? note, CancellationToken cancellationToken) =>
        await AfterAsync(code, await StaffReportsApi.Reject(code, new RejectRequest(reason ?? "", null, note, version), changes, db), cancellationToken);

    public async Task<IActionResult> OnPostNoteAsync(string code, string? text, CancellationToken cancellationToken) =>
        await AfterAsync(code, await StaffReportsApi.AddNote(code, new NoteRequest(text ?? ""), changes, time, User), cancellationToken);

    private async Task<IActionResult> AfterAsync(string code, Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem> outcome, CancellationToken cancellationToken)
    {
        if (!PageOutcome.IsProblem(outcome.Result, out var message, out var status))
        {
            return RedirectToPage(new { code }); // post, redirect, get: a reload does not act twice
        }

        (Problem, Response.StatusCode) = (message, status);
        return await ShowAsync(code, cancellationToken, keepStatus: true);
    }

    private async Task<IActionResult> ShowAsync(string code, CancellationToken cancellationToken, bool keepStatus = false)
    {
        var detail = await StaffReportsApi.Detail(code, db, audit, duplicates, User, cancellationToken);
        if (detail.Result is not Ok<StaffReportDetail> ok)
        {
            return NotFound();
        }

        Report = ok.Value;
        return Page();
    }
}
