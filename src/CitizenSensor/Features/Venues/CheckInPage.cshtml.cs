using CitizenSensor.Data;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Venues;

/// <summary>
/// What the shared phone and name fields of the check-in and personal-QR pages show; the check-in page also offers an
/// optional e-mail for health notices (a personal QR carries none).
/// </summary>
public sealed record PersonFields(string? Phone, string? Name, IReadOnlyDictionary<string, string> Errors, string? Email = null, bool OfferEmail = false);

/// <summary>
/// What a resident's phone opens when it scans a venue's QR (<c>/v/{code}</c>). The first time it asks for a phone and,
/// optionally, a name; the page's script keeps them on the device, so afterwards one tap checks in. A plain form post
/// underneath: it works without JavaScript too. After checking in: check out, or show the personal QR.
/// </summary>
[EnableRateLimiting(PublicLimits.CheckIns)]
public sealed class CheckInPageModel(CitizenDb db, CheckInDesk desk, CheckInWriter writer, CheckOuts checkOuts, IResidentNotices notices, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    /// <summary>The check-in's receipt, kept by the page for the check-out button.</summary>
    [BindProperty]
    public string? Receipt { get; set; }

    public Venue? Venue { get; private set; }

    public WardRef? Ward { get; private set; }

    /// <summary>The check-in just recorded (or the check-out, when <see cref="CheckedOut"/>).</summary>
    public CheckInAccepted? Done { get; private set; }

    public bool CheckedOut { get; private set; }

    /// <summary>Health notices for the phone that checked in (tracing found it at the same place as a case).</summary>
    public IReadOnlyList<ResidentNotice> Notices { get; private set; } = [];

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken) =>
        await LoadAsync(code, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(code, cancellationToken))
        {
            return NotFound();
        }

        var (item, venue, errors, _, limited) = await desk.PrepareAsync(new CheckInRequest(Venue!.Code, Phone, Name, null, null, Email: Email), null, CheckInSource.Page, cancellationToken);
        if (limited is not null)
        {
            limited.Tell(Response);
            Errors["limit"] = text["TooManyTryLater", (limited.Seconds + 59) / 60];
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }

        if (item is null)
        {
            Explain(errors);
            Response.StatusCode = Venue.IsOpen ? StatusCodes.Status400BadRequest : StatusCodes.Status410Gone;
            return Page();
        }

        var stored = await writer.WriteAsync([item], cancellationToken);
        Phone = PhoneNumbers.Normalize(Phone);
        Done = new CheckInAccepted(venue!.Code, venue.Name, item.At, Duplicate: !stored[0], CheckOuts.Receipt(desk.Protection, item.VenueId, item.PhoneHash, item.At));
        Notices = await notices.ForPhoneAsync(Phone!, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCheckOutAsync(string code, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(code, cancellationToken))
        {
            return NotFound();
        }

        var result = await checkOuts.CheckOutAsync(new CheckOutRequest(Venue!.Code, Phone, Receipt, null), cancellationToken);
        switch (result)
        {
            case Outcome<CheckInAccepted>.Done done:
                Done = done.Value;
                CheckedOut = true;
                break;
            case Outcome<CheckInAccepted>.Invalid invalid when !invalid.Errors.ContainsKey("receipt"):
                Explain(invalid.Errors);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
            default:
                Errors["checkout"] = text["CheckInNothingToCheckOut"];
                Response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }

        return Page();
    }

    private async Task<bool> LoadAsync(string code, CancellationToken cancellationToken)
    {
        Venue = await VenuesApi.FindAsync(db, code, cancellationToken);
        if (Venue is null)
        {
            return false;
        }

        Ward = await VenueRules.StoredWardAsync(db, Venue.WardCode, cancellationToken);
        if (!Venue.IsOpen)
        {
            Response.StatusCode = StatusCodes.Status410Gone;
        }

        return true;
    }

    /// <summary>The desk's reasons, in the reader's language.</summary>
    private void Explain(IEnumerable<KeyValuePair<string, string[]>> errors)
    {
        foreach (var (field, messages) in errors)
        {
            Errors[field] = field switch
            {
                "phone" => text["CheckInPhoneError"],
                "name" => text["CheckInNameError", CheckInsApi.MaxName],
                "email" => text["CheckInEmailError"],
                "venueCode" => text["CheckInVenueClosed"],
                _ => messages[0],
            };
        }
    }
}
