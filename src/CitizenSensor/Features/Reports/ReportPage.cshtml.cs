using CitizenSensor.Data;
using CitizenSensor.Features.Reports.Attachments;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

/// <summary>The citizen's report form (channel "web"): a plain HTML form that works without JavaScript.</summary>
[RequestFormLimits(MultipartBodyLengthLimit = 512L * 1024 * 1024)]
[RequestSizeLimit(512L * 1024 * 1024)]
public sealed class ReportPageModel(CitizenDb db, ReportIntake intake, ReportReceipt receipt) : PageModel
{
    [BindProperty]
    public ReportForm Form { get; set; } = new();

    public IReadOnlyList<CategoryView> Categories { get; private set; } = [];

    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadCategoriesAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Form.TryGetSubmission(out var submission, out var errors))
        {
            var files = Request.Form.Files.Select(f => new IncomingFile(f.Name, f.FileName, f.Length, f.OpenReadStream)).ToList();
            var result = await intake.SubmitAsync(submission, ReportChannels.Web, null, cancellationToken, files);
            if (result.Outcome == IntakeOutcome.Created)
            {
                // This browser, and only it, sees the confirmation on the tracking page.
                Response.Cookies.Append(ReportReceipt.CookieName, receipt.Issue(result.Report!.Code), new CookieOptions
                {
                    Path = "/r",
                    HttpOnly = true,
                    Secure = Request.IsHttps,
                    SameSite = SameSiteMode.Lax,
                    MaxAge = ReportReceipt.Lifetime,
                    IsEssential = true,
                });
                return LocalRedirect($"/r/{result.Report!.Code}");
            }

            errors = result.Errors;
        }

        Errors = errors;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadCategoriesAsync(cancellationToken);
        return Page();
    }

    private async Task LoadCategoriesAsync(CancellationToken cancellationToken) =>
        Categories = await db.Categories.AsNoTracking().Where(c => c.Active).OrderBy(c => c.SortOrder)
            .Select(c => new CategoryView(c.Code, ReportViews.English ? c.NameEn : c.NameVi))
            .ToListAsync(cancellationToken);
}
