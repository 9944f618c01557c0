using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Venues;

/// <summary>The printable A4 poster: the venue's name and address, the QR, and how to check in, in Vietnamese and English.</summary>
public sealed class PosterPageModel(CitizenDb db) : PageModel
{
    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    public Venue Venue { get; private set; } = null!;

    public WardRef? Ward { get; private set; }

    public VenueUrls Urls { get; private set; } = null!;

    public string QrSvg { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken)
    {
        if (await VenuesApi.FindAsync(db, code, cancellationToken) is not { } venue)
        {
            return NotFound();
        }

        Venue = venue;
        Ward = await VenueRules.StoredWardAsync(db, venue.WardCode, cancellationToken);
        Urls = VenueUrls.For(PublicSite.Of(HttpContext), venue.Code);
        QrSvg = VenueQr.Svg(Urls.CheckIn, 12);
        return Page();
    }

    public static string Vi(string key) => SharedResource.Format(key, Vietnamese);

    public static string En(string key) => SharedResource.Format(key, English);
}
