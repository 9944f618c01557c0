using CitizenSensor.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Venues;

/// <summary>
/// The owner's page (<c>/venues/{code}/manage#key=…</c>): edit the name, kind and address, close the venue, print the
/// poster, open the scanner. The key stays in the browser (the URL fragment, then the tab's session storage) and goes
/// to the API in the <c>X-Venue-Key</c> header only.
/// </summary>
public sealed class ManageVenuePageModel(CitizenDb db) : PageModel
{
    public Venue Venue { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken)
    {
        if (await VenuesApi.FindAsync(db, code, cancellationToken) is not { } venue)
        {
            return NotFound();
        }

        Venue = venue;
        Response.Headers["Referrer-Policy"] = "no-referrer";
        return Page();
    }
}
