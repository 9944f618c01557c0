using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Declarations;

/// <summary>
/// One follow-up task (<c>/staff/followups/{id}</c>). The person's contact is shown only after the officer says why
/// (audited, as in the API); then the officer records the outcome. Asks <see cref="FollowUpDesk"/> as the API does: same rules, same scope.
/// </summary>
[Authorize(Roles = $"{StaffRoles.Admin},{StaffRoles.HealthOfficer}")]
public sealed class FollowUpPageModel(FollowUpDesk desk, CitizenDb db, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public FollowUpView? Task { get; private set; }

    public string? Problem { get; private set; }

    /// <summary>The task's ward by name ("Phường Phúc Xá").</summary>
    public UnitNames Wards { get; private set; } = UnitNames.None;

    public string Culture => System.Globalization.CultureInfo.CurrentUICulture.Name;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostOpenAsync(string? reason, CancellationToken cancellationToken) => await OpenAsync(reason, cancellationToken);

    public async Task<IActionResult> OnPostOutcomeAsync(string? reason, string? outcome, string? note, int? revision, CancellationToken cancellationToken)
    {
        var result = await desk.RecordAsync(StaffActor.From(User), Id, new OutcomeRequest(outcome, string.IsNullOrWhiteSpace(note) ? null : note, revision), cancellationToken);
        switch (result)
        {
            case Outcome<FollowUpSummary>.Done:
                return Redirect($"/staff/followups?done={Id}");
            case Outcome<FollowUpSummary>.NotFound:
                return NotFound();
            case Outcome<FollowUpSummary>.Forbidden:
                return Forbid();
            case Outcome<FollowUpSummary>.Invalid invalid:
                Problem = invalid.Errors.Values.First()[0];
                break;
            case Outcome<FollowUpSummary>.Conflict conflict:
                Problem = conflict.Message;
                break;
        }

        // Show the task again (the reason already given is recorded once more: the officer is still looking at it).
        await OpenAsync(reason, cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<IActionResult> OpenAsync(string? reason, CancellationToken cancellationToken)
    {
        switch (await desk.OpenAsync(StaffActor.From(User), Id, reason, cancellationToken))
        {
            case Outcome<FollowUpView>.Done done:
                Task = done.Value;
                Wards = await UnitNames.LookUpAsync(db, [done.Value.Task.WardCode], cancellationToken);
                Reason = reason!.Trim();
                Response.Headers.CacheControl = "no-store";
                return Page();
            case Outcome<FollowUpView>.NotFound:
                return NotFound();
            case Outcome<FollowUpView>.Forbidden:
                return Forbid();
            default:
                Problem ??= text["FollowUpReasonNeeded", AccessReason.Min];
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
        }
    }

    public string? Reason { get; private set; }
}
