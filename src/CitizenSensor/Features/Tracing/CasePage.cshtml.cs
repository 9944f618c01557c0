using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using CitizenSensor.Infrastructure.Export;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Tracing;

/// <summary>
/// One case (<c>/staff/cases/{id}</c>): its facts, its identity for a reason (audited), tracing to F1 (and F2), the
/// people found, their list as a file for a reason, the case's declared leads, and changes to its status and
/// isolation. The same desks as the API: same rules, same scope.
/// </summary>
[Authorize(Roles = $"{StaffRoles.Admin},{StaffRoles.HealthOfficer}")]
public sealed class CasePageModel(CaseDesk desk, CaseTracer tracer, CaseLeads leads, ContactExport export, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public CaseView? Case { get; private set; }

    public CaseIdentity? Identity { get; private set; }

    public IReadOnlyList<ExposureView> Exposures { get; private set; } = [];

    public CaseLeadsView? Leads { get; private set; }

    public TraceResult? Traced { get; private set; }

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostIdentityAsync(string? reason, CancellationToken cancellationToken)
    {
        switch (await desk.IdentityAsync(StaffActor.From(User), Id, reason, cancellationToken))
        {
            case Outcome<CaseIdentity>.Done done:
                Identity = done.Value;
                Response.Headers.CacheControl = "no-store";
                break;
            case Outcome<CaseIdentity>.Invalid:
                Problem = text["FollowUpReasonNeeded", Declarations.AccessReason.Min];
                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
        }

        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostTraceAsync(bool f2, CancellationToken cancellationToken)
    {
        if (await tracer.TraceAsync(StaffActor.From(User), Id, f2, cancellationToken) is Outcome<TraceResult>.Done done)
        {
            Traced = done.Value;
        }

        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostUpdateAsync(string? status, string? isolation, string? facility, int? revision, CancellationToken cancellationToken)
    {
        var result = await desk.UpdateAsync(StaffActor.From(User), Id, new UpdateCaseRequest(status, isolation, string.IsNullOrWhiteSpace(facility) ? null : facility, null, revision), cancellationToken);
        switch (result)
        {
            case Outcome<CaseView>.Done:
                return Redirect($"/staff/cases/{Id}");
            case Outcome<CaseView>.Invalid invalid:
                Problem = string.Join(" ", invalid.Errors.Values.Select(v => v[0]));
                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
            case Outcome<CaseView>.Conflict conflict:
                Problem = conflict.Message;
                Response.StatusCode = StatusCodes.Status409Conflict;
                break;
        }

        return await ShowAsync(cancellationToken);
    }

    /// <summary>The F1 list as CSV or XLSX, for the reason given (audited).</summary>
    public async Task<IActionResult> OnGetContactsAsync(string? reason, string? format, CancellationToken cancellationToken)
    {
        if (!TableExport.TryParseFormat(format, out var tableFormat))
        {
            return BadRequest();
        }

        switch (await export.ListAsync(StaffActor.From(User), Id, reason, cancellationToken))
        {
            case Outcome<ContactList>.Done done:
                return new TableExport(done.Value.FileName, tableFormat, done.Value.Headers, done.Value.Rows.ToAsyncEnumerable());
            case Outcome<ContactList>.Invalid:
                Problem = text["FollowUpReasonNeeded", Declarations.AccessReason.Min];
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return await ShowAsync(cancellationToken);
            default:
                return NotFound();
        }
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        var actor = StaffActor.From(User);
        switch (await desk.GetAsync(actor, Id, cancellationToken))
        {
            case Outcome<CaseView>.Done done:
                Case = done.Value;
                break;
            case Outcome<CaseView>.Forbidden:
                return Forbid();
            default:
                return NotFound();
        }

        Exposures = await desk.ExposuresAsync(actor, Id, cancellationToken) is Outcome<IReadOnlyList<ExposureView>>.Done found ? found.Value : [];
        Leads = await leads.LeadsAsync(actor, Id, cancellationToken) is Outcome<CaseLeadsView>.Done led ? led.Value : null;
        return Page();
    }
}
