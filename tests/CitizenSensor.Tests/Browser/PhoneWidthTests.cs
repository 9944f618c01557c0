using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Declarations;
using CitizenSensor.Tests.Features.Reports;
using CitizenSensor.Tests.Features.Tracing;
using CitizenSensor.Tests.Features.Venues;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>
/// Every page, public and staff, at a phone's 390 × 844 in Vietnamese and English: the page never scrolls sideways
/// (wide tables scroll inside their own box). The list of pages is checked against the <c>@page</c> directives, so a new
/// page without a case here fails <see cref="Every_page_template_is_visited_or_excused"/>.
/// </summary>
public sealed partial class PhoneWidthTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const int Width = 390;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Route template → the path visited (placeholders filled from <see cref="Seeded"/>).</summary>
    private static readonly Dictionary<string, string[]> Public = new(StringComparer.Ordinal)
    {
        ["/"] = ["/"],
        ["/report"] = ["/report"],
        ["/reports"] = ["/reports"],
        ["/r/{code?}"] = ["/r/{report}", "/r"],
        ["/r/{code}/follow/{id:guid?}/{token?}"] = ["{follow}"],
        ["/declare"] = ["/declare"],
        ["/my-qr"] = ["/my-qr"],
        ["/units/{code?}"] = ["/units", "/units/79"],
        ["/v/{code}"] = ["/v/{venue}"],
        ["/venues/new"] = ["/venues/new"],
        ["/venues/{code}/manage"] = ["/venues/{venue}/manage#key={key}"],
        ["/venues/{code}/poster"] = ["/venues/{venue}/poster"],
        ["/venues/{code}/scan"] = ["/venues/{venue}/scan#key={key}"],
        ["/staff/login"] = ["/staff/login"],
        ["/exposure-sites"] = ["/exposure-sites"],
        ["/error/{status:int?}"] = ["/error/404"],
    };

    private static readonly Dictionary<string, string[]> Staff = new(StringComparer.Ordinal)
    {
        ["/staff"] = ["/staff"],
        ["/staff/reports"] = ["/staff/reports"],
        ["/staff/reports/{code}"] = ["/staff/reports/{report}"],
        ["/staff/reports/stats"] = ["/staff/reports/stats"],
        ["/staff/calls"] = ["/staff/calls"],
        ["/staff/categories"] = ["/staff/categories"],
        ["/staff/declarations"] = ["/staff/declarations"],
        ["/staff/followups"] = ["/staff/followups"],
        ["/staff/followups/{id:long}"] = ["/staff/followups/{followup}"],
        ["/staff/open311"] = ["/staff/open311"],
        ["/staff/questionnaire"] = ["/staff/questionnaire"],
        ["/staff/venues"] = ["/staff/venues"],
        ["/staff/cases"] = ["/staff/cases"],
        ["/staff/cases/{id:long}"] = ["/staff/cases/{case}"],
        ["/staff/tracing"] = ["/staff/tracing"],
        ["/staff/tracing/rules"] = ["/staff/tracing/rules"],
    };

    /// <summary>Templates with no page of their own to look at, and why.</summary>
    private static readonly Dictionary<string, string> Excused = new(StringComparer.Ordinal)
    {
        ["/staff/logout"] = "signs out and redirects; it has no page to show",
    };

    [Fact]
    public void Every_page_template_is_visited_or_excused()
    {
        var templates = PageTemplates();
        Assert.Contains("/staff/reports/{code}", templates);
        var missing = templates.Where(t => !Public.ContainsKey(t) && !Staff.ContainsKey(t) && !Excused.ContainsKey(t)).ToList();
        Assert.True(missing.Count == 0, "Pages without a phone-width case: " + string.Join(", ", missing));
        var stale = Public.Keys.Concat(Staff.Keys).Concat(Excused.Keys).Where(t => !templates.Contains(t)).ToList();
        Assert.True(stale.Count == 0, "Cases for pages that no longer exist: " + string.Join(", ", stale));
    }

    [Theory]
    [InlineData("vi-VN")]
    [InlineData("en-US")]
    public async Task No_page_scrolls_sideways_on_a_phone(string locale)
    {
        var seeded = await SeedAsync();
        var (page, errors) = await browser.NewPageAsync(locale);
        await page.SetViewportSizeAsync(Width, 844);
        if (locale.StartsWith("en", StringComparison.Ordinal))
        {
            await page.GotoAsync("/culture/en?returnUrl=/");
        }

        var wide = new List<string>();
        foreach (var path in Public.Values.SelectMany(p => p))
        {
            await MeasureAsync(page, Fill(path, seeded), wide);
        }

        var admin = await browser.App.CreateStaffAsync(StaffRoles.Admin, null);
        await page.GotoAsync("/staff/login");
        await page.Locator("#email").FillAsync(admin.Email!);
        await page.Locator("#password").FillAsync(CitizenApp.Password);
        await page.Locator("form button[type=submit]").Last.ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/staff/login"));
        foreach (var path in Staff.Values.SelectMany(p => p).Append("/units"))
        {
            await MeasureAsync(page, Fill(path, seeded), wide);
        }

        Assert.True(wide.Count == 0, $"Wider than {Width} px ({locale}):\n" + string.Join('\n', wide));
        var unexpected = errors.Where(e => !e.Contains("status of 404", StringComparison.Ordinal) && !e.Contains("tile.openstreetmap", StringComparison.Ordinal)).ToList();
        Assert.True(unexpected.Count == 0, string.Join('\n', unexpected));
    }

    private static async Task MeasureAsync(IPage page, string path, List<string> wide)
    {
        var response = await page.GotoAsync(path);
        Assert.True(response is { Status: < 400 } || path.StartsWith("/error/", StringComparison.Ordinal), $"{path}: {response?.Status}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        if (width > Width + 1)
        {
            var culprits = await page.EvaluateAsync<string[]>(
                "w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1 && ![...e.children].some(c => c.getBoundingClientRect().right > w + 1)).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''))",
                Width);
            wide.Add($"{path}: {width} px ({string.Join(", ", culprits)})");
        }
    }

    private sealed record Seeded(string Report, string Venue, string Key, long FollowUp, string Follow, long Case);

    private async Task<Seeded> SeedAsync()
    {
        var citizen = browser.App.CreateClient();
        var report = await citizen.SubmitAsync(ReportClient.Valid("Quán karaoke trên đường Nguyễn Trãi vẫn mở cửa hát đến khuya, rất đông người không đeo khẩu trang"));
        await citizen.WaitProcessedAsync(report);
        var venue = await citizen.RegisterAsync(VenueClient.NewVenue("Cửa hàng tiện lợi có một cái tên rất dài để thử màn hình điện thoại"));
        await citizen.DeclaredAsync(DeclarationClient.Valid(VenueClient.NewPhone(), symptoms: ["breathing-difficulty"]));
        var (admin, _) = await browser.App.SignedInAsync(StaffRoles.Admin, null);
        var tasks = await (await admin.GetAsync("/api/v1/followups", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var followUp = tasks.EnumerateArray().First().GetProperty("id").GetInt64();
        return new Seeded(report, venue.Str("code"), venue.Str("manageKey"), followUp, await FollowerAsync(report), await CaseAsync(venue.Str("code")));
    }

    /// <summary>A traced case with a contact, and its place of exposure published, so the tracing pages have rows to lay out.</summary>
    private async Task<long> CaseAsync(string venue)
    {
        var t = browser.App.Time.GetUtcNow().AddHours(-6);
        var (f0, contact) = (VenueClient.NewPhone(), VenueClient.NewPhone());
        await browser.App.VisitAsync(venue, f0, t, 0, until: 60);
        await browser.App.VisitAsync(venue, contact, t, 10, until: 40);
        var (officer, id) = await browser.App.OpenCaseAsync(f0);
        await officer.TraceAsync(id, f2: true);
        var sites = await (await officer.GetAsync("/api/v1/tracing/sites", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var site = sites.GetProperty("sites")[0].GetProperty("id").GetInt64();
        await (await officer.PutAsJsonAsync($"/api/v1/tracing/sites/{site}/publication", new { published = true }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        return id;
    }

    /// <summary>A follower's page (this app sends no mail, so the subscription is stored as the service would store it).</summary>
    private async Task<string> FollowerAsync(string code)
    {
        await using var scope = browser.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenSensor.Data.CitizenDb>();
        var personal = scope.ServiceProvider.GetRequiredService<CitizenSensor.Data.PersonalData>();
        var follower = new CitizenSensor.Features.Reports.Following.ReportFollower
        {
            Id = Guid.NewGuid(),
            ReportId = await db.Reports.Where(r => r.Code == code).Select(r => r.Id).SingleAsync(Cancel),
            AddressHash = personal.Hash("phone-width-follower@mail.test"),
            SealedAddress = personal.Encrypt("phone-width-follower@mail.test"),
            Token = CitizenSensor.Features.Reports.Following.ReportFollower.NewToken(),
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Add(follower);
        await db.SaveChangesAsync(Cancel);
        return CitizenSensor.Features.Reports.Following.ReportFollower.LinkPath(code, follower.Id, follower.Token);
    }

    private static string Fill(string path, Seeded seeded) => path
        .Replace("{follow}", seeded.Follow, StringComparison.Ordinal)
        .Replace("{report}", seeded.Report, StringComparison.Ordinal)
        .Replace("{venue}", seeded.Venue, StringComparison.Ordinal)
        .Replace("{key}", Uri.EscapeDataString(seeded.Key), StringComparison.Ordinal)
        .Replace("{case}", seeded.Case.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{followup}", seeded.FollowUp.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>The route templates of every Razor page under src/CitizenSensor/Features.</summary>
    private static HashSet<string> PageTemplates()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "src", "CitizenSensor", "Features")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var features = Path.Combine(directory.FullName, "src", "CitizenSensor");
        return Directory.EnumerateFiles(features, "*.cshtml", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines)
            .Select(line => PageDirective().Match(line))
            .Where(match => match.Success)
            .Select(match => match.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex("""^@page\s+"([^"]+)"\s*$""")]
    private static partial Regex PageDirective();
}
