using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Venues;

/// <summary>
/// The public registration form (<c>/venues/new</c>): the same rules and rate limit as <c>POST /api/v1/venues</c>. The
/// answer shows the QR, the poster and the owner's manage link, whose key is shown this once.
/// </summary>
[EnableRateLimiting(PublicLimits.VenueRegistrations)]
public sealed class RegisterVenuePageModel(
    CitizenDb db, VenueDesk desk, VenueOptions options, IStringLocalizer<SharedResource> text) : PageModel
{
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

    public async Task OnGetAsync(CancellationToken cancellationToken) => Districts = await WardSelect.LoadAsync(db, cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var request = new VenueRequest(Name, Kind, Address, WardCode, null, null, OwnerName, OwnerPhone);
        var result = await VenuesApi.Register(request, desk, options, HttpContext, cancellationToken);
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

        Districts = await WardSelect.LoadAsync(db, cancellationToken);
        return Page();
    }
}
