using System.Globalization;
using System.Text.RegularExpressions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Reports;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>
/// The street basemap in Chromium: every map draws the configured tiles (OpenStreetMap's by default, answered here by
/// the fixture as the real server would), and with the tile server blocked each falls back to the cities' boundaries
/// without breaking. The report form opens on the city the resident chose, and warns before sending a pin outside
/// every city served.
/// </summary>
public sealed partial class BaseMapTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_map_draws_the_street_tiles_with_their_credit()
    {
        var code = await SeedLocatedReportAsync();
        var (page, errors) = await SignedInPageAsync(blockTiles: false);

        foreach (var (path, map) in Maps(code))
        {
            await page.GotoAsync(path);
            var element = page.Locator(map);
            await Assertions.Expect(element).ToHaveAttributeAsync("data-basemap", "tiles", new() { Timeout = 15_000 });
            await Assertions.Expect(element.Locator("img.leaflet-tile-loaded").First).ToBeVisibleAsync(); // (again, after a map moves to its city)
            await Assertions.Expect(element.Locator(".leaflet-control-attribution")).ToContainTextAsync("© OpenStreetMap contributors");
        }

        Assert.True(errors.Count == 0, string.Join('\n', errors)); // the tiles pass the Content-Security-Policy
    }

    [Fact]
    public async Task With_the_tile_server_blocked_every_map_keeps_the_boundaries()
    {
        var code = await SeedLocatedReportAsync();
        var (page, errors) = await SignedInPageAsync(blockTiles: true);

        foreach (var (path, map) in Maps(code))
        {
            await page.GotoAsync(path);
            var element = page.Locator(map);
            await Assertions.Expect(element).ToHaveAttributeAsync("data-basemap", "boundaries", new() { Timeout = 15_000 });
            Assert.Equal(0, await element.Locator("img.leaflet-tile").CountAsync());
            // Boundaries are drawn: the map's own, or the cities' under the report dots.
            await Assertions.Expect(element.Locator(".leaflet-overlay-pane path").Nth(5)).ToBeAttachedAsync(new() { Timeout = 15_000 });
        }

        Assert.All(errors, e => Assert.Contains("tile.openstreetmap.org", e, StringComparison.Ordinal)); // only the blocked tiles failed
    }

    [Fact]
    public async Task The_report_form_opens_on_the_chosen_city_and_remembers_it()
    {
        var (page, errors) = await browser.NewPageAsync();
        await page.GotoAsync("/report");
        var city = page.GetByLabel("Thành phố", new() { Exact = true });
        Assert.Equal(["Thành phố Hà Nội", "Thành phố Hồ Chí Minh"], await city.Locator("option").AllInnerTextsAsync());

        await city.SelectOptionAsync("79");
        Assert.InRange(await PinAtMapCentreAsync(page, "79"), 10.3, 11.2); // Hồ Chí Minh City
        await page.GotoAsync("/report"); // a fresh visit, not a reload that restores the form
        await city.SelectOptionAsync("01");
        Assert.InRange(await PinAtMapCentreAsync(page, "01"), 20.5, 21.4); // Hà Nội, 1,100 km north

        await page.GotoAsync("/report"); // a fresh visit, not a reload that restores the form
        Assert.Equal("01", await page.GetByLabel("Thành phố", new() { Exact = true }).InputValueAsync());
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Fact]
    public async Task A_pin_outside_every_city_is_sent_only_after_a_warning()
    {
        // The resident is in Đà Nẵng, which this portal does not serve.
        var context = await browser.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.App.ServerAddress.ToString(),
            Locale = "vi-VN",
            Geolocation = new Geolocation { Latitude = 16.0544f, Longitude = 108.2022f },
            Permissions = ["geolocation"],
        });
        await BrowserFixture.ServeTilesAsync(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/report");
        await page.GetByLabel("Nội dung phản ánh").FillAsync("Cây đổ chắn ngang đường sau bão, xe không qua được");

        await page.GetByRole(AriaRole.Button, new() { Name = "Dùng vị trí của tôi" }).ClickAsync();
        var warning = page.Locator("#location-outside");
        await Assertions.Expect(warning).ToBeVisibleAsync();
        await Assertions.Expect(warning).ToContainTextAsync("nằm ngoài các thành phố");

        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi phản ánh" }).ClickAsync();
        Assert.EndsWith("/report", page.Url, StringComparison.Ordinal); // the first press only warns
        await Assertions.Expect(warning).ToBeFocusedAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi phản ánh" }).ClickAsync();
        await page.WaitForURLAsync(TrackingPage());
        await context.CloseAsync();
    }

    /// <summary>Each page with a map, and its map (the tracking page's shows the located report's place).</summary>
    private static (string Path, string Map)[] Maps(string located) =>
    [
        ("/report", "#report-map"),
        ("/reports", "#reports-map"),
        ($"/r/{located}", "#report-place"),
        ("/units/79", "#unit-map"),
        ("/staff/reports", "#inbox-map"),
        ("/staff/venues?unit=79", "#scan-map"),
    ];

    private async Task<string> SeedLocatedReportAsync()
    {
        var code = await browser.App.CreateClient().SubmitAsync(new { description = "Ổ gà lớn giữa đường, xe máy ngã liên tục", lat = 10.7769, lng = 106.7009 });
        await browser.App.CreateClient().WaitProcessedAsync(code); // routed, so the public map shows it
        return code;
    }

    /// <summary>A page signed in as the city's dispatcher (who may see the inbox and the venue dashboard).</summary>
    private async Task<(IPage Page, List<string> Errors)> SignedInPageAsync(bool blockTiles)
    {
        var dispatcher = await browser.App.CreateStaffAsync(StaffRoles.CityTriage, "79");
        var (page, errors) = await browser.NewPageAsync();
        if (blockTiles)
        {
            await page.Context.UnrouteAsync(BrowserFixture.TileServer);
            await page.Context.RouteAsync(BrowserFixture.TileServer, route => route.AbortAsync("internetdisconnected"));
        }

        await page.GotoAsync("/staff/login");
        await page.GetByLabel("Thư điện tử").FillAsync(dispatcher.Email!);
        await page.GetByLabel("Mật khẩu").FillAsync(CitizenApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await page.WaitForURLAsync("**/staff**");
        return (page, errors);
    }

    /// <summary>Clicks the middle of the report form's map once it shows the city, and returns the pinned latitude.</summary>
    private static async Task<double> PinAtMapCentreAsync(IPage page, string city)
    {
        var map = page.Locator($"#report-map[data-view='{city}']");
        await map.ScrollIntoViewIfNeededAsync();
        var box = (await map.BoundingBoxAsync())!;
        await map.ClickAsync(new() { Position = new() { X = box.Width / 2, Y = box.Height / 2 } });
        await Assertions.Expect(page.Locator("#location-status")).ToContainTextAsync("Đã ghim vị trí");
        var status = await page.Locator("#location-status").InnerTextAsync();
        return double.Parse(PinnedLatitude().Match(status).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static Regex TrackingPage() => TrackingPath();

    [GeneratedRegex("/r/[23456789A-Z]{10}$")]
    private static partial Regex TrackingPath();

    [GeneratedRegex(@"(-?\d+\.\d+), ")]
    private static partial Regex PinnedLatitude();
}
