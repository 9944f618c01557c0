using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Venues;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Declarations;

/// <summary>
/// One follow-up task (<c>/staff/followups/{id}</c>). The person's contact is shown only after the officer says why
/// (audited, as in the API); then the officer records the outcome. Calls the API's handlers: same rules, same scope.
/// </summary>
[Authorize(Roles = $"{StaffRoles.Admin},{StaffRoles.HealthOfficer}")]
public sealed class FollowUpPageModel(CitizenDb db, PersonalData protection, Auditor audit, TimeProvider time, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public FollowUpView? Task { get; private set; }

    public string? Problem { get; private set; }

    public string Culture => System.Globalization.CultureInfo.CurrentUICulture.Name;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostOpenAsync(string? reason, CancellationToken cancellationToken) => await OpenAsync(reason, cancellationToken);

    public async Task<IActionResult> OnPostOutcomeAsync(string? reason, string? outcome, string? note, int? revision, CancellationToken cancellationToken)
    {
        var result = await FollowUpsApi.Record(Id, new OutcomeRequest(outcome, string.IsNullOrWhiteSpace(note) ? null : note, revision), User, db, audit, time, cancellationToken);
        switch (result.Result)
        {
            case Ok<FollowUpSummary>:
                return Redirect($"/staff/followups?done={Id}");
            case Microsoft.AspNetCore.Http.HttpResults.NotFound:
                return NotFound();
            case ValidationProblem problem:
                Problem = problem.ProblemDetails.Errors.ContainsKey("outcome") ? text["FollowUpChooseOutcome"] : problem.ProblemDetails.Errors.Values.First()[0];
                break;
            case ProblemHttpResult conflict:
                Problem = conflict.ProblemDetails.Detail;
                break;
        }

        // Show the task again (the reason already given is recorded once more: the officer is still looking at it).
        await OpenAsync(reason, cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<IActionResult> OpenAsync(string? reason, CancellationToken cancellationToken)
    {
        var result = await FollowUpsApi.Open(Id, reason, db, protection, audit, time, cancellationToken);
        switch (result.Result)
        {
            case Ok<FollowUpView> ok:
                Task = ok.Value;
                Reason = reason!.Trim();
                Response.Headers.CacheControl = "no-store";
                return Page();
            case Microsoft.AspNetCore.Http.HttpResults.NotFound:
                return NotFound();
            default:
                Problem ??= text["FollowUpReasonNeeded", DeclarationsApi.MinReason];
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
        }
    }

    public string? Reason { get; private set; }
}
