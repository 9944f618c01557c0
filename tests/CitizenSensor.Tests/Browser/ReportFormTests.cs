using System.Net.Http.Json;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Reports;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>The citizen's form and tracking page in Chromium: without JavaScript, with location, and live.</summary>
public sealed class ReportFormTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_form_works_without_javascript_and_leads_to_the_tracking_page()
    {
        var (page, _) = await NewPageAsync(javaScript: false);
        await page.GotoAsync("/report");

        await page.GetByLabel("Nội dung phản ánh").FillAsync("Quán cà phê ở hẻm 45 vẫn cho khách ngồi uống tại chỗ, không ai đeo khẩu trang");
        await page.GetByLabel("Địa chỉ", new() { Exact = true }).FillAsync("hẻm 45 Quang Trung, P.12, Q. Gò Vấp");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi phản ánh" }).ClickAsync();

        Assert.Matches("/r/[23456789A-Z]{10}$", page.Url);
        Assert.StartsWith("Phản ánh ", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Matches("^(received|routed)$", await page.Locator("#status").GetAttributeAsync("data-status"));
    }

    [Fact]
    public async Task Mistakes_are_explained_next_to_their_field_in_Vietnamese()
    {
        var (page, _) = await NewPageAsync(javaScript: false);
        await page.GotoAsync("/report");

        await page.GetByLabel("Nội dung phản ánh").FillAsync("ngắn");
        await page.GetByLabel("Số điện thoại").FillAsync("12345");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi phản ánh" }).ClickAsync();

        Assert.EndsWith("/report", page.Url, StringComparison.Ordinal);
        Assert.Contains("10 đến 4.000 ký tự", await page.Locator("[data-field=description]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Hãy cho biết vị trí", await page.Locator("[data-field=location]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Số điện thoại không hợp lệ", await page.Locator("[data-field='reporter.phone']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("ngắn", await page.GetByLabel("Nội dung phản ánh").InputValueAsync()); // nothing typed is lost
    }

    [Fact]
    public async Task A_refused_file_is_named_on_a_phone_and_the_kept_photo_is_sent_with_the_next_post()
    {
        var (page, _) = await NewPageAsync(javaScript: false);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/report");

        await page.GetByLabel("Nội dung phản ánh").FillAsync("Nước ngập sâu trước chợ, xe máy chết máy giữa đường");
        await page.GetByLabel("Địa chỉ", new() { Exact = true }).FillAsync("chợ Bà Chiểu, quận Bình Thạnh");
        await page.Locator("#files").SetInputFilesAsync(new[]
        {
            new FilePayload { Name = "ngap-nuoc-truoc-cho-ba-chieu-sang-nay-luc-bay-gio.jpg", MimeType = "image/jpeg", Buffer = WebForm.Photo() },
            new FilePayload { Name = "hoa-don.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4 a bill"u8.ToArray() },
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi phản ánh" }).ClickAsync();

        Assert.EndsWith("/report", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator(".refused-file")).ToContainTextAsync("Không nhận tệp hoa-don.pdf");
        var kept = page.GetByLabel("Giữ lại: ngap-nuoc-truoc-cho-ba-chieu-sang-nay-luc-bay-gio.jpg");
        Assert.True(await kept.IsVisibleAsync());
        Assert.True(await kept.IsCheckedAsync());
        Assert.Equal("Nước ngập sâu trước chợ, xe máy chết máy giữa đường", await page.GetByLabel("Nội dung phản ánh").InputValueAsync());
        // The kept photo is shown beside its box, drawn from the kept copy: the 64×48 test photo, stood upright by its orientation.
        var preview = page.Locator("img.kept-preview");
        await Assertions.Expect(preview).ToBeVisibleAsync();
        Assert.Equal("48x64", await preview.EvaluateAsync<string>("img => img.complete ? img.naturalWidth + 'x' + img.naturalHeight : 'not loaded'"));
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The page scrolls sideways by {overflow}px");

        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi phản ánh" }).ClickAsync();

        Assert.Matches("/r/[23456789A-Z]{10}$", page.Url);
        Assert.Equal(1, await page.Locator("img[src*='handler=photo']").CountAsync()); // the kept photo, shown to the filing browser
    }

    [Fact]
    public async Task Use_my_location_pins_the_report_which_is_routed_to_that_district()
    {
        var (page, errors) = await NewPageAsync(javaScript: true, geolocation: new Geolocation { Latitude = 10.7798f, Longitude = 106.6990f });
        await page.GotoAsync("/report");

        await page.GetByLabel("Nội dung phản ánh").FillAsync("Tiệm tóc vẫn mở cửa cắt tóc cho khách, khách ngồi chờ đông");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dùng vị trí của tôi" }).ClickAsync();
        await Assertions.Expect(page.Locator("#location-status")).ToContainTextAsync("10.7798");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi phản ánh" }).ClickAsync();

        // The tracking page updates itself when the background processor routes the report.
        await Assertions.Expect(page.Locator("#unit")).ToHaveTextAsync("Quận 1", new() { Timeout = 15_000 });
        Assert.Equal("routed", await page.Locator("#status").GetAttributeAsync("data-status"));
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Fact]
    public async Task Reports_filed_nearby_are_offered_before_submitting_and_one_can_be_followed_instead()
    {
        var client = browser.App.CreateClient();
        var near = await client.SubmitAsync(new { description = "Nắp cống bị vỡ giữa đường, xe máy dễ sụp bánh", lat = 10.77450, lng = 106.70400 });
        var far = await client.SubmitAsync(new { description = "Cây xanh ngã chắn ngang vỉa hè sau cơn mưa", lat = 10.78500, lng = 106.70400 }); // 1.2 km north
        // The resident stands about 31 m from the first report, on a phone.
        var (page, errors) = await NewPageAsync(javaScript: true, geolocation: new Geolocation { Latitude = 10.77470f, Longitude = 106.70420f });
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/report");

        await page.GetByRole(AriaRole.Button, new() { Name = "Dùng vị trí của tôi" }).ClickAsync();

        var follow = page.Locator("#nearby-list a", new() { HasText = near });
        await Assertions.Expect(follow).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(follow).ToHaveTextAsync($"Theo dõi {near}");
        await Assertions.Expect(page.Locator("#nearby-list li", new() { HasText = near })).ToContainTextAsync("cách 30 m");
        Assert.Equal(0, await page.Locator("#nearby-list li", new() { HasText = far }).CountAsync());
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The page scrolls sideways by {overflow}px");

        await follow.ClickAsync();

        // Its tracking page (with the e-mail form when the city sends mail: FollowingTests).
        await page.WaitForURLAsync($"**/r/{near}#follow");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"Phản ánh {near}");
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Fact]
    public async Task The_tracking_page_shows_an_officers_action_without_a_reload_by_the_citizen()
    {
        var code = await browser.App.CreateClient().SubmitAsync(new { description = "Chợ tự phát họp trước cổng khu dân cư, rất đông người", address = "phường 1, quận 3" });
        var (page, _) = await NewPageAsync(javaScript: true);
        await page.GotoAsync($"/r/{code}");
        await Assertions.Expect(page.Locator("#status")).ToHaveAttributeAsync("data-status", "routed", new() { Timeout = 15_000 });

        var (officer, _) = await browser.App.SignedInAsync(StaffRoles.UnitOfficer, "770");
        await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/resolve", new { result = "Lực lượng phường đã giải tán chợ tự phát lúc 10h" }, TestContext.Current.CancellationToken);

        await Assertions.Expect(page.Locator("#result")).ToContainTextAsync("đã giải tán chợ tự phát", new() { Timeout = 15_000 });
        Assert.Equal("Đã xử lý", await page.Locator("#status").InnerTextAsync());
    }

    [Fact]
    public async Task The_public_map_shows_routed_reports_as_dots_without_a_tile_server()
    {
        var code = await browser.App.CreateClient().SubmitAsync(new { description = "Quán nhậu tụ tập hát karaoke tới khuya", lat = 10.7798, lng = 106.6990 });
        var (page, errors) = await NewPageAsync(javaScript: true);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        do
        {
            await page.GotoAsync("/reports");
        }
        while (await page.Locator($"tr[data-code='{code}']").CountAsync() == 0 && DateTime.UtcNow < deadline);

        await Assertions.Expect(page.Locator("#reports-map")).ToBeVisibleAsync();
        Assert.True(int.Parse(await page.Locator("#reports-map").GetAttributeAsync("data-markers") ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.True(await page.Locator("#reports-map .leaflet-interactive").CountAsync() >= 1);
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    private async Task<(IPage Page, List<string> Errors)> NewPageAsync(bool javaScript, Geolocation? geolocation = null)
    {
        var (page, errors) = await browser.NewPageAsync();
        if (!javaScript || geolocation is not null)
        {
            // A fresh context with the options this test needs.
            await page.Context.CloseAsync();
            var context = await browser.Browser!.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = browser.App.ServerAddress.ToString(),
                Locale = "vi-VN",
                JavaScriptEnabled = javaScript,
                Geolocation = geolocation,
                Permissions = geolocation is null ? [] : ["geolocation"],
            });
            await BrowserFixture.ServeTilesAsync(context);
            page = await context.NewPageAsync();
            errors = [];
            var collected = errors;
            page.PageError += (_, error) => collected.Add(error);
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    collected.Add(message.Text);
                }
            };
        }

        return (page, errors);
    }
}
