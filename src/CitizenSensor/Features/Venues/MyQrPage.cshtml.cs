using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Venues;

/// <summary>
/// The resident's personal QR (<c>/my-qr</c>) for venue staff to scan: a sealed pass with the phone and optional name,
/// valid for <see cref="VenueOptions.PassLifetime"/>. Nothing is stored on the server; the page's script fills the form
/// from what the device keeps.
/// </summary>
[EnableRateLimiting(PublicLimits.Passes)]
public sealed class MyQrPageModel(CheckInPasses passes, IResidentNotices notices, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    public string? Pass { get; private set; }

    public string? QrSvg { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>Health notices for the phone (tracing found it at the same place as a case), shown above its QR.</summary>
    public IReadOnlyList<ResidentNotice> Notices { get; private set; } = [];

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var phone = PhoneNumbers.Normalize(Phone);
        if (phone is null)
        {
            Errors["phone"] = text["CheckInPhoneError"];
        }

        var problems = new Dictionary<string, string[]>();
        var name = CheckInDesk.CheckName(Name, problems);
        if (problems.Count > 0)
        {
            Errors["name"] = text["CheckInNameError", CheckInsApi.MaxName];
        }

        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        (Pass, ExpiresAt) = passes.Issue(phone!, name);
        Notices = await notices.ForPhoneAsync(phone!, cancellationToken);
        QrSvg = VenueQr.Svg(Pass, 6);
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}
