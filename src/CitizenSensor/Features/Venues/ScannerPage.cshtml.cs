using CitizenSensor.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Venues;

/// <summary>
/// The venue staff's scanner (<c>/venues/{code}/scan</c>): residents show their personal QR, a handheld scanner (or
/// anything that types the code and Enter) reads it, the page checks them in with the venue's key. Scans made while the
/// connection is down wait on the device and go in one batch when it is back.
/// </summary>
public sealed class ScannerPageModel(CitizenDb db) : PageModel
{
    public Venue Venue { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken)
    {
        if (await VenuesApi.FindAsync(db, code, cancellationToken) is not { } venue)
        {
            return NotFound();
        }

        Venue = venue;
        return Page();
    }
}
