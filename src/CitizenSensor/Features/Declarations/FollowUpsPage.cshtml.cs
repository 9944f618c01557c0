using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Declarations;

/// <summary>
/// The health officer's follow-up queue (<c>/staff/followups</c>): the tasks of their units, escalated and most overdue
/// first, with no identities. Same service, same scope as <c>GET /api/v1/followups</c>.
/// </summary>
[Authorize(Roles = $"{StaffRoles.Admin},{StaffRoles.HealthOfficer}")]
public sealed class FollowUpsPageModel(FollowUpDesk desk, CitizenDb db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool? Escalated { get; set; }

    /// <summary>The task just closed or tried (after the redirect from the task page).</summary>
    [BindProperty(SupportsGet = true)]
    public long? Done { get; set; }

    public IReadOnlyList<FollowUpSummary> Tasks { get; private set; } = [];

    /// <summary>The names of the tasks' wards, so the list reads "Phường Phúc Xá", not "00001".</summary>
    public UnitNames Wards { get; private set; } = UnitNames.None;

    public string Culture => CultureInfo.CurrentUICulture.Name;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Status = Status is "closed" or "all" ? Status : "open";
        var result = await desk.ListAsync(StaffActor.From(User), Status, Escalated, null, 500, cancellationToken);
        Tasks = result is Outcome<List<FollowUpSummary>>.Done done ? done.Value : [];
        Wards = await UnitNames.LookUpAsync(db, Tasks.Select(t => t.WardCode), cancellationToken);
    }

    public static string Symptom(string code, string culture) => QuestionnaireRules.SymptomCodes.First(s => s.Code == code).Text.For(culture);

    public static string Exposure(string code, string culture) => QuestionnaireRules.ExposureCodes.First(e => e.Code == code).Text.For(culture);

    public static string Local(DateTimeOffset at) => Infrastructure.CityTime.Brief(at);
}
