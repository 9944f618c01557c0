using CitizenSensor.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Reports;

/// <summary>The citizen's tracking page: <c>/r/{code}</c>, linked from the acknowledgement on every channel.</summary>
public sealed class TrackingPageModel(CitizenDb db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    public PublicReport? Report { get; private set; }

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

        return Page();
    }
}
