using System.Net;
using CitizenSensor.Data;
using CitizenSensor.Features.Reports.Attachments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>
/// The web form refused because of one file (or a field) keeps what the resident typed and the files that were fine, and
/// names the refused file with the reason in the page's language; the kept files become the report's on the next post,
/// for that browser only, until they expire.
/// </summary>
public sealed class KeptFilesTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private const string Description = "Bãi rác tự phát trên vỉa hè đường Nguyễn Trãi, bốc mùi cả tuần nay";
    private static readonly byte[] Program = [.. "MZ"u8, .. new byte[64]];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Fields(string description = Description) => new()
    {
        ["Description"] = description,
        ["Address"] = "120 Nguyễn Trãi, phường 2, quận 5",
        ["ReporterName"] = "Anh Minh",
        ["Category"] = "",
    };

    [Fact]
    public async Task A_bad_file_is_named_in_Vietnamese_and_the_good_photo_and_the_text_are_kept_for_the_next_post()
    {
        var browser = WebForm.Browser(app);

        var refused = await WebForm.FileAsync(browser, Fields(), ("vỉa hè.jpg", WebForm.Photo(), "image/jpeg"), ("setup.jpg", Program, "image/jpeg"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("Không nhận tệp setup.jpg: đây không phải ảnh", page, StringComparison.Ordinal);
        Assert.Contains($">{Description}</textarea>", page, StringComparison.Ordinal);
        Assert.Contains("value=\"Anh Minh\"", page, StringComparison.Ordinal);
        Assert.Contains("Giữ lại: vỉa hè.jpg", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Giữ lại: setup.jpg", page, StringComparison.Ordinal);

        // The browser sends the form again as drawn, with no new file: the kept photo is the report's only attachment.
        var code = WebForm.CodeOf(await WebForm.PostAsync(browser, page, Fields()));

        var attachment = Assert.Single(await AttachmentsAsync(code));
        Assert.Equal("image/jpeg", attachment.ContentType);
        Assert.True(attachment.MetadataRemoved);
        var stored = await BytesAsync(attachment.BlobKey);
        Assert.Equal("", (await AttachmentTests.ExifAsync(stored, "-GPSPosition", "-GPSLatitude")).Trim());
        Assert.Equal("Rotate 90 CW", (await AttachmentTests.ExifAsync(stored, "-Orientation")).Trim());
        Assert.Equal("64x48", (await AttachmentTests.ExifAsync(stored, "-ImageSize")).Trim());
    }

    [Fact]
    public async Task A_kept_photo_is_previewed_for_its_own_browser_only_and_only_while_it_is_kept()
    {
        var owner = WebForm.Browser(app);
        var page = await (await WebForm.FileAsync(owner, Fields("ngắn"), ("ổ gà.jpg", WebForm.Photo(), "image/jpeg"))).Content.ReadAsStringAsync(Cancel);
        var preview = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "<img class=\"kept-preview\" src=\"([^\"]+)\" alt=\"ổ gà.jpg\"").Groups[1].Value);
        Assert.StartsWith("/report?handler=kept&token=", preview, StringComparison.Ordinal);

        // The preview is the kept copy: a JPEG already stripped of its location.
        using var shown = await owner.GetAsync(preview, Cancel);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal("image/jpeg", shown.Content.Headers.ContentType?.MediaType);
        Assert.Contains("private", shown.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var bytes = await shown.Content.ReadAsByteArrayAsync(Cancel);
        Assert.Equal("", (await AttachmentTests.ExifAsync(bytes, "-GPSPosition", "-GPSLatitude")).Trim());
        Assert.Equal("64x48", (await AttachmentTests.ExifAsync(bytes, "-ImageSize")).Trim());

        // Another browser, a token altered by one character and no token at all see nothing.
        var stranger = WebForm.Browser(app);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(preview, Cancel)).StatusCode);
        var forged = preview[..^2] + (preview[^2] == 'A' ? "B" : "A") + preview[^1];
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(forged, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("/report?handler=kept", Cancel)).StatusCode);

        // Once the report is filed the kept copy is the report's, and the preview is gone.
        var code = WebForm.CodeOf(await WebForm.PostAsync(owner, page, Fields()));
        Assert.Single(await AttachmentsAsync(code));
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(preview, Cancel)).StatusCode);
    }

    [Fact]
    public async Task A_field_mistake_keeps_the_photo_and_a_new_file_joins_it()
    {
        var browser = WebForm.Browser(app);

        var refused = await WebForm.FileAsync(browser, Fields("ngắn"), ("a.jpg", WebForm.Photo(), "image/jpeg"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("10 đến 4.000 ký tự", page, StringComparison.Ordinal);
        Assert.Contains("Giữ lại: a.jpg", page, StringComparison.Ordinal);

        var code = WebForm.CodeOf(await WebForm.PostAsync(browser, page, Fields(), ("b.png", await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Assets", "photo.png"), Cancel), "image/png")));

        var attachments = await AttachmentsAsync(code);
        Assert.Equal(["image/jpeg", "image/png"], attachments.Select(a => a.ContentType).Order());
        Assert.All(attachments, a => Assert.True(a.MetadataRemoved));
    }

    [Fact]
    public async Task The_English_page_gives_the_reasons_in_English_and_a_sixth_file_is_too_many()
    {
        var browser = WebForm.Browser(app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/culture/en?returnUrl=/report", Cancel)).StatusCode); // the culture cookie
        var photos = Enumerable.Range(1, 6).Select(i => ($"p{i}.jpg", WebForm.Photo(), "image/jpeg")).ToArray();

        var refused = await WebForm.FileAsync(browser, Fields(), [.. photos, ("notes.jpg", "<html>hi</html>"u8.ToArray(), "image/jpeg")]);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("p6.jpg was refused: a report may have at most 5 files.", page, StringComparison.Ordinal);
        Assert.Contains("notes.jpg was refused: a report may have at most 5 files.", page, StringComparison.Ordinal);
        Assert.Contains("Kept: p5.jpg", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Không nhận", page, StringComparison.Ordinal);

        var wrongType = await WebForm.FileAsync(browser, Fields(), ("notes.jpg", "<html>hi</html>"u8.ToArray(), "image/jpeg"));
        Assert.Contains("notes.jpg was refused: it is not a photo", await wrongType.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        Assert.Equal(5, (await AttachmentsAsync(WebForm.CodeOf(await WebForm.PostAsync(browser, page, Fields())))).Count);
    }

    [Fact]
    public async Task Another_browsers_token_or_a_forged_one_attaches_nothing()
    {
        var owner = WebForm.Browser(app);
        var page = await (await WebForm.FileAsync(owner, Fields("ngắn"), ("mine.jpg", WebForm.Photo(), "image/jpeg"))).Content.ReadAsStringAsync(Cancel);
        Assert.Contains("Giữ lại: mine.jpg", page, StringComparison.Ordinal);

        // Another browser posts the owner's page, with the owner's kept token in it.
        var other = WebForm.Browser(app);
        var otherPage = await other.GetStringAsync("/report", Cancel);
        var stolen = page.Replace(TokenOf(page), TokenOf(otherPage), StringComparison.Ordinal);
        var code = WebForm.CodeOf(await WebForm.PostAsync(other, stolen, Fields()));
        Assert.Empty(await AttachmentsAsync(code));

        // The owner's own browser with a token altered by one character.
        var kept = System.Text.RegularExpressions.Regex.Match(page, "name=\"Kept\" value=\"([^\"]+)\"").Groups[1].Value;
        var forged = page.Replace(kept, kept[..^2] + (kept[^2] == 'A' ? "B" : "A") + kept[^1], StringComparison.Ordinal);
        var forgedCode = WebForm.CodeOf(await WebForm.PostAsync(owner, forged, Fields()));
        Assert.Empty(await AttachmentsAsync(forgedCode));
    }

    [Fact]
    public async Task Kept_files_nobody_comes_back_for_are_deleted_and_their_token_then_names_nothing()
    {
        var browser = WebForm.Browser(app);
        var page = await (await WebForm.FileAsync(browser, Fields("ngắn"), ("late.jpg", WebForm.Photo(), "image/jpeg"))).Content.ReadAsStringAsync(Cancel);
        var staging = app.Services.GetRequiredService<StagedFiles>();
        Assert.NotEmpty(Directory.GetFiles(staging.Root));

        app.Time.Advance(StagedFiles.Lifetime + TimeSpan.FromMinutes(1));
        await app.Services.GetRequiredService<StagedFileSweep>().RunOnceAsync(Cancel); // the hosted job may also have run on the advanced clock

        Assert.Empty(Directory.GetFiles(staging.Root));
        var again = await WebForm.PostAsync(browser, page, Fields());
        Assert.Empty(await AttachmentsAsync(WebForm.CodeOf(again)));
    }

    private static string TokenOf(string page) =>
        System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

    private async Task<List<ReportAttachment>> AttachmentsAsync(string code)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        return await db.Reports.IgnoreQueryFilters().AsNoTracking().Where(r => r.Code == code).SelectMany(r => r.Attachments).ToListAsync(Cancel);
    }

    private async Task<byte[]> BytesAsync(string key)
    {
        await using var stream = await app.Services.GetRequiredService<IBlobStore>().OpenAsync(key, Cancel);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy, Cancel);
        return copy.ToArray();
    }
}
