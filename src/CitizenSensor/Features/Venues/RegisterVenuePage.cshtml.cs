using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
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
    CitizenDb db, JurisdictionCatalog catalog, VenueDesk desk, IStringLocalizer<SharedResource> text) : PageModel
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

    public async Task OnGetAsync(CancellationToken cancellationToken) => Districts = await WardSelect.LoadAsync(db, (await catalog.TodayAsync()).Set, cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var request = new VenueRequest(Name, Kind, Address, WardCode, null, null, OwnerName, OwnerPhone);
        switch (await desk.RegisterAsync(StaffActor.From(User), request, cancellationToken))
        {
            case Outcome<NewVenue>.Done done:
                Registered = RegisteredVenue.Of(done.Value, PublicSite.Of(HttpContext));
                Response.Headers.CacheControl = "no-store"; // the manage key is on this page
                return Page();
            case Outcome<NewVenue>.Invalid invalid:
                foreach (var (field, messages) in invalid.Errors)
                {
                    var localized = text["VenueError_" + field];
                    Errors[field] = localized.ResourceNotFound ? messages[0] : localized.Value;
                }

                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
            case var refused when refused.IsRefused(out var message, out var status):
                Errors["form"] = message;
                Response.StatusCode = status;
                break;
        }

        Districts = await WardSelect.LoadAsync(db, (await catalog.TodayAsync()).Set, cancellationToken);
        return Page();
    }
}
