using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Tracing;

/// <summary>
/// The health officer's cases (<c>/staff/cases</c>): the list of their units by status, a form to open a case and one
/// to import a lab's list. The same desks as <c>/api/v1/tracing/cases</c>: same rules, same scope.
/// </summary>
[Authorize(Roles = $"{StaffRoles.Admin},{StaffRoles.HealthOfficer}")]
public sealed class CasesPageModel(CaseDesk desk, CaseImport import, CitizenDb db, JurisdictionCatalog catalog, IStringLocalizer<SharedResource> text) : PageModel
{
    /// <summary>What the open form shows again after a refusal.</summary>
    public sealed record OpenForm(string? Phone, string? Name, string? CitizenId, DateOnly? TestDate, DateOnly? OnsetDate, string? Isolation, string? Facility, string? Ward);

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public IReadOnlyList<CaseView> Cases { get; private set; } = [];

    public IReadOnlyList<DistrictChoice> Districts { get; private set; } = [];

    public OpenForm Form { get; private set; } = new(null, null, null, null, null, "home", null, null);

    public string? Problem { get; private set; }

    public string? Imported { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostOpenAsync(string? phone, string? name, string? citizenId, DateOnly? testDate, DateOnly? onsetDate, string? isolation, string? facility,
        string? wardCode, CancellationToken cancellationToken)
    {
        var request = new OpenCaseRequest(phone, name, citizenId, testDate, onsetDate, isolation, wardCode, string.IsNullOrWhiteSpace(facility) ? null : facility);
        switch (await desk.OpenAsync(StaffActor.From(User), request, cancellationToken))
        {
            case Outcome<CaseView>.Done done:
                return Redirect($"/staff/cases/{done.Value.Id}");
            case Outcome<CaseView>.Forbidden:
                return Forbid();
            case Outcome<CaseView>.Invalid invalid:
                Problem = string.Join(" ", invalid.Errors.Values.Select(v => v[0]));
                break;
            case var other:
                Problem = other.ToString();
                break;
        }

        Form = new OpenForm(phone, name, citizenId, testDate, onsetDate, isolation, facility, wardCode);
        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0 || file.Length > CaseImport.MaxBytes)
        {
            Problem = text["CaseImportNoFile", CaseImport.MaxBytes / 1024 / 1024];
        }
        else
        {
            await using var body = file.OpenReadStream();
            switch (await import.ImportAsync(StaffActor.From(User), body, cancellationToken))
            {
                case Outcome<CaseImportResult>.Done done:
                    Imported = text["CaseImported", done.Value.Imported, done.Value.Skipped];
                    break;
                case Outcome<CaseImportResult>.Forbidden:
                    return Forbid();
                case Outcome<CaseImportResult>.Invalid invalid:
                    Problem = string.Join(" · ", invalid.Errors.Select(e => e.Key + ": " + e.Value[0]));
                    break;
            }
        }

        await LoadAsync(cancellationToken);
        if (Problem is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Status = Status is "recovered" or "deceased" or "moved-away" or "all" ? Status : "active";
        Cases = await desk.ListAsync(StaffActor.From(User), Status, cancellationToken) is Outcome<IReadOnlyList<CaseView>>.Done done ? done.Value : [];
        Districts = await WardSelect.LoadAsync(db, (await catalog.TodayAsync()).Set, StaffActor.From(User).UnitPath, cancellationToken); // the wards of the officer's units
    }
}
