using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Venues.Compliance;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Venues;

/// <summary>
/// The public registration form (<c>/venues/new</c>): the same rules and rate limit as <c>POST /api/v1/venues</c>. The
/// answer shows the QR, the poster and the owner's manage link, whose key is shown this once.
/// </summary>
public sealed class RegisterVenuePageModel(
    CitizenDb db, JurisdictionCatalog catalog, RegistrationLimiter limiter, VenueOptions options, Auditor audit,
    BusinessMatcher businesses, UnitScope scope, TimeProvider time, IStringLocalizer<SharedResource> text) : PageModel
{
    public sealed record WardChoice(string Code, string Name);

    public sealed record DistrictChoice(string Name, IReadOnlyList<WardChoice> Wards);

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public string? WardCode { get; set; }

    [BindProperty]
    public string? OwnerName { get; set; }

    [BindProperty]
    public string? OwnerPhone { get; set; }

    public IReadOnlyList<DistrictChoice> Districts { get; private set; } = [];

    public RegisteredVenue? Registered { get; private set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public async Task OnGetAsync(CancellationToken cancellationToken) => Districts = await LoadWardsAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var request = new VenueRequest(Name, Kind, Address, WardCode, null, null, OwnerName, OwnerPhone);
        var result = await VenuesApi.Register(request, db, catalog, limiter, options, audit, businesses, scope, time, HttpContext, cancellationToken);
        switch (result.Result)
        {
            case Created<RegisteredVenue> created:
                Registered = created.Value;
                Response.Headers.CacheControl = "no-store"; // the manage key is on this page
                return Page();
            case ValidationProblem problem:
                foreach (var field in problem.ProblemDetails.Errors.Keys)
                {
                    var localized = text["VenueError_" + field];
                    Errors[field] = localized.ResourceNotFound ? problem.ProblemDetails.Errors[field][0] : localized.Value;
                }

                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
            default:
                Errors["form"] = text["VenueTooMany"];
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                break;
        }

        Districts = await LoadWardsAsync(cancellationToken);
        return Page();
    }

    private async Task<IReadOnlyList<DistrictChoice>> LoadWardsAsync(CancellationToken cancellationToken)
    {
        var units = await db.Units.AsNoTracking().Where(u => u.Level == 2 || u.Level == 3)
            .Select(u => new { u.Code, u.Name, u.Level, u.ParentCode }).ToListAsync(cancellationToken);
        var wards = units.Where(u => u.Level == 3).ToLookup(u => u.ParentCode);
        return units.Where(u => u.Level == 2 && wards[u.Code].Any())
            .Select(d => new DistrictChoice(d.Name, [.. wards[d.Code].OrderBy(w => w.Name, StringComparer.Ordinal).Select(w => new WardChoice(w.Code, w.Name))]))
            .OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
    }
}
