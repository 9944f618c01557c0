using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Reports.Attachments;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// The citizen's report form (channel "web"): a plain HTML form that works without JavaScript. When it is refused, the
/// page comes back with everything typed and with the files that passed their checks kept (<see cref="StagedFiles"/>),
/// each shown as a ticked "Kept" box the resident can untick; the refused files are named with the reason.
/// </summary>
[RequestFormLimits(MultipartBodyLengthLimit = 512L * 1024 * 1024)]
[RequestSizeLimit(512L * 1024 * 1024)]
[EnableRateLimiting(PublicLimits.Reports)]
public sealed class ReportPageModel(CitizenDb db, ReportIntake intake, ReportReceipt receipt, StagedFiles staging, IBlobStore blobs, AttachmentOptions attachmentOptions, JurisdictionCatalog catalog) : PageModel
{
    [BindProperty]
    public ReportForm Form { get; set; } = new();

    public IReadOnlyList<CategoryView> Categories { get; private set; } = [];

    /// <summary>The cities the map offers, each with its boundaries.</summary>
    public IReadOnlyList<UnitRef> Cities { get; private set; } = [];

    public Dictionary<string, string[]> Errors { get; private set; } = [];

    /// <summary>Files refused in this post, with why.</summary>
    public List<FileRefusal> RefusedFiles { get; } = [];

    /// <summary>Files kept from this and earlier posts, to be sent again (hidden token in a ticked box).</summary>
    public List<StagedFile> KeptFiles { get; } = [];

    public int MaxFiles => attachmentOptions.MaxFiles;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadChoicesAsync(cancellationToken);

    /// <summary>
    /// A kept file itself, for the preview beside its box: only to the browser it was kept for (its token and owner
    /// cookie), and only while it is kept. Videos can be sought (range requests).
    /// </summary>
    public IActionResult OnGetKept(string? token)
    {
        if (staging.Resolve([token], Request.Cookies[StagedFiles.OwnerCookie]) is not [var file] || file.Type is not { } type)
        {
            return NotFound();
        }

        Response.Headers.CacheControl = "private, max-age=600";
        return new FileStreamResult(staging.Open(file), type.ContentType) { EnableRangeProcessing = true };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await KeepFilesAsync(cancellationToken);
        var fieldsValid = Form.TryGetSubmission(out var submission, out var errors);
        if (fieldsValid && RefusedFiles.Count == 0)
        {
            var files = KeptFiles.Select(staging.AsIncoming).ToList();
            var result = await intake.SubmitAsync(submission, ReportChannels.Web, null, cancellationToken, files);
            if (result.Outcome == IntakeOutcome.Created)
            {
                staging.Delete(KeptFiles);
                IssueReceipt(result.Report!.Code);
                return LocalRedirect($"/r/{result.Report!.Code}");
            }

            errors = result.Errors;
        }

        Errors = errors;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadChoicesAsync(cancellationToken);
        return Page();
    }

    /// <summary>
    /// Takes the kept files this browser still ticks, then checks each new upload: one that passes (and fits within the
    /// report's file limit) is kept too, one that does not is listed in <see cref="RefusedFiles"/>.
    /// </summary>
    private async Task KeepFilesAsync(CancellationToken cancellationToken)
    {
        var owner = Request.Cookies[StagedFiles.OwnerCookie];
        KeptFiles.AddRange(staging.Resolve(Request.Form["Kept"], owner).Take(attachmentOptions.MaxFiles));
        var uploads = Request.Form.Files;
        if (uploads.Count == 0)
        {
            return;
        }

        if (string.IsNullOrEmpty(owner))
        {
            owner = StagedFiles.NewOwner();
            Response.Cookies.Append(StagedFiles.OwnerCookie, owner, BrowserCookie("/report", StagedFiles.Lifetime));
        }

        var checker = new AttachmentIntake(blobs, attachmentOptions);
        foreach (var upload in uploads)
        {
            var file = new IncomingFile(upload.Name, upload.FileName, upload.Length, upload.OpenReadStream);
            if (KeptFiles.Count >= attachmentOptions.MaxFiles)
            {
                RefusedFiles.Add(new FileRefusal(upload.FileName, FileProblem.TooMany, $"At most {attachmentOptions.MaxFiles} files per report.", attachmentOptions.MaxFiles));
                continue;
            }

            using var prepared = await checker.PrepareAsync(file, cancellationToken);
            if (prepared.Refusal is { } refusal)
            {
                RefusedFiles.Add(refusal);
            }
            else
            {
                KeptFiles.Add(await staging.StageAsync(prepared, owner, cancellationToken));
            }
        }
    }

    private void IssueReceipt(string code) =>
        // This browser, and only it, sees the confirmation on the tracking page.
        Response.Cookies.Append(ReportReceipt.CookieName, receipt.Issue(code), BrowserCookie("/r", ReportReceipt.Lifetime));

    /// <summary>A cookie that ties something to this browser only: sent back under <paramref name="path"/>, never to scripts.</summary>
    private CookieOptions BrowserCookie(string path, TimeSpan lifetime) => new()
    {
        Path = path,
        HttpOnly = true,
        Secure = Request.IsHttps,
        SameSite = SameSiteMode.Lax,
        MaxAge = lifetime,
        IsEssential = true,
    };

    private async Task LoadChoicesAsync(CancellationToken cancellationToken)
    {
        Categories = await db.Categories.AsNoTracking().Where(c => c.Active).OrderBy(c => c.SortOrder)
            .Select(c => new CategoryView(c.Code, ReportViews.English ? c.NameEn : c.NameVi))
            .ToListAsync(cancellationToken);
        Cities = (await catalog.TodayAsync()).Cities;
    }
}
