using CitizenSensor.Data;
using CitizenSensor.Features.Reports.Attachments;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// The citizen's tracking page: <c>/r/{code}</c>, linked from the acknowledgement on every channel. The browser that
/// filed the report on the web form (it holds the <see cref="ReportReceipt"/>) also sees the confirmation.
/// </summary>
public sealed class TrackingPageModel(CitizenDb db, ReportReceipt receipt, CategoryCache categories, ReporterMailOptions mail, IBlobStore blobs, PersonalData personal) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    public PublicReport? Report { get; private set; }

    public ReportConfirmation? Confirmation { get; private set; }

    /// <summary>Whether residents may follow this report by e-mail (<see cref="Following.ReportFollowing"/>).</summary>
    public bool FollowingOffered => mail.FollowingOffered && Report is { Status: not ("resolved" or "rejected") };

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Code))
        {
            Code = null;
            return Page();
        }

        Code = Code.Length > 20 ? Code[..20] : Code;
        Report = await ReportViews.LoadPublicAsync(db, Code, cancellationToken);
        if (Report is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        else if (Report.Code != Code)
        {
            return LocalRedirect($"/r/{Report.Code}"); // "abcde-fghjk" → the canonical code
        }
        else if (receipt.Covers(Request.Cookies[ReportReceipt.CookieName], Report.Code))
        {
            Confirmation = await ReportConfirmation.LoadAsync(db, categories, mail, personal, Report.Code, cancellationToken);
        }

        return Page();
    }

    /// <summary>A photo of the report, for the browser that filed it only.</summary>
    public async Task<IActionResult> OnGetPhotoAsync(Guid id, CancellationToken cancellationToken)
    {
        var code = CitizenSensor.Features.Reports.Report.NormalizeCode(Code ?? "");
        if (!receipt.Covers(Request.Cookies[ReportReceipt.CookieName], code)
            || await ReportConfirmation.OpenPhotoAsync(db, blobs, code, id, cancellationToken) is not { } photo)
        {
            return NotFound();
        }

        Response.Headers.CacheControl = "private, max-age=3600";
        return File(photo.Content, photo.ContentType);
    }
}
