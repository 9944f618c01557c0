using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Venues;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>Venue pages in Chromium: the QR as the browser draws it (poster and SVG) read back by zbarimg, and the resident's check-in.</summary>
public sealed class VenuePagesTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_printed_poster_and_the_SVG_QR_decode_to_the_check_in_URL()
    {
        var venue = await browser.App.CreateClient().RegisterAsync(VenueClient.NewVenue("Siêu thị Phúc Xá"));
        var (page, errors) = await browser.NewPageAsync();
        await page.GotoAsync(venue.Str("posterUrl"));
        await Assertions.Expect(page.Locator("#venue-name")).ToHaveTextAsync("Siêu thị Phúc Xá");
        await Assertions.Expect(page.Locator("#venue-address")).ToContainTextAsync("Phường Phúc Xá, Quận Ba Đình");
        var printed = await page.Locator("#qr svg").ScreenshotAsync();
        Assert.Equal(venue.Str("checkInUrl"), await QrDecoder.DecodeAsync(printed, "png"));
        var pdf = await page.PdfAsync(new PagePdfOptions { PreferCSSPageSize = true });
        Assert.True(pdf.Length > 1000);

        Assert.Empty(errors);

        var (image, imageErrors) = await browser.NewPageAsync();
        await image.GotoAsync(venue.Str("qrSvgUrl"));
        var drawn = await image.Locator("svg").ScreenshotAsync();
        Assert.Equal(venue.Str("checkInUrl"), await QrDecoder.DecodeAsync(drawn, "png"));
        Assert.Empty(imageErrors);
    }
}

/// <summary>The resident's and the venue's pages in Chromium: register, check in (then in one tap), check out, personal QR, scanner, owner's page.</summary>
public sealed class VenueFlowTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_business_registers_and_a_resident_checks_in_once_by_typing_then_in_one_tap()
    {
        var (page, errors) = await browser.NewPageAsync();
        await page.GotoAsync("/venues/new");
        await page.GetByLabel("Tên địa điểm").FillAsync("Tiệm bánh <b>Trúc Bạch</b>");
        await page.GetByLabel("Địa chỉ").FillAsync("5 Trúc Bạch, Ba Đình");
        await page.GetByLabel("Loại hình").SelectOptionAsync("shop");
        await page.GetByLabel("Phường/xã").SelectOptionAsync(VenueClient.Ward);
        await page.GetByLabel("Người chịu trách nhiệm").FillAsync("Lê Thị Hoa");
        await page.GetByLabel("Số điện thoại liên hệ").FillAsync("0912");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tạo mã QR" }).ClickAsync();
        // Script in the name and a short phone: each named, in Vietnamese, with what was typed kept.
        await Assertions.Expect(page.Locator("#venue-form")).ToContainTextAsync("Nhập tên địa điểm");
        await Assertions.Expect(page.Locator("#venue-form")).ToContainTextAsync("Số điện thoại chưa đúng");
        await Assertions.Expect(page.GetByLabel("Địa chỉ")).ToHaveValueAsync("5 Trúc Bạch, Ba Đình");
        await page.GetByLabel("Tên địa điểm").FillAsync("Tiệm bánh Trúc Bạch");
        await page.GetByLabel("Số điện thoại liên hệ").FillAsync("0912 345 678");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tạo mã QR" }).ClickAsync();
        var code = await page.Locator("#registered").GetAttributeAsync("data-code");
        Assert.NotNull(code);
        var manage = await page.Locator("#manage-link").GetAttributeAsync("href");
        Assert.Contains("#key=", manage, StringComparison.Ordinal);

        // The resident scans the poster's QR: the first time they type their phone and name.
        var (resident, residentErrors) = await browser.NewPageAsync();
        await resident.GotoAsync($"/v/{code}");
        await Assertions.Expect(resident.Locator("#venue-name")).ToHaveTextAsync("Tiệm bánh Trúc Bạch");
        await resident.GetByLabel("Số điện thoại").FillAsync("09x");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Khai báo vào" }).ClickAsync();
        await Assertions.Expect(resident.Locator("#phone-error")).ToContainTextAsync("Số điện thoại chưa đúng");
        await resident.GetByLabel("Số điện thoại").FillAsync("0987 654 321");
        await resident.GetByLabel("Họ và tên (không bắt buộc)").FillAsync("Phạm Minh Đức");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Khai báo vào" }).ClickAsync();
        await Assertions.Expect(resident.Locator("#done")).ToContainTextAsync("Đã khai báo lúc 08:00 20/08/2021");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Rời khỏi địa điểm" }).ClickAsync();
        await Assertions.Expect(resident.Locator("#done")).ToContainTextAsync("Đã ghi nhận rời khỏi lúc 08:00");

        // The next time the device remembers them: one tap.
        browser.App.Time.Advance(TimeSpan.FromMinutes(5));
        await resident.GotoAsync($"/v/{code}");
        await Assertions.Expect(resident.Locator("#remembered")).ToContainTextAsync("098••••321");
        await Assertions.Expect(resident.Locator("#person-fields")).ToBeHiddenAsync();
        await resident.GetByRole(AriaRole.Button, new() { Name = "Khai báo vào" }).ClickAsync();
        await Assertions.Expect(resident.Locator("#done")).ToContainTextAsync("Đã khai báo lúc 08:05");

        var (health, _) = await browser.App.SignedInAsync(StaffRoles.HealthOfficer, "01");
        var found = await (await health.GetAsync("/api/v1/staff/checkins?phone=0987654321&days=7", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, found.GetArrayLength());
        Assert.Equal("Phạm Minh Đức", found[0].Str("name"));
        Assert.Equal("page", found[0].Str("source"));
        Assert.Equal(JsonValueKind.String, found[1].GetProperty("checkOutAt").ValueKind);

        // Their personal QR, read by a handheld scanner at the venue (it types the code and Enter).
        await resident.GotoAsync("/my-qr");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Hiện mã QR" }).ClickAsync();
        var pass = await QrDecoder.DecodeAsync(await resident.Locator("#personal-qr svg").ScreenshotAsync(), "png");
        Assert.Equal(await resident.Locator("#personal-qr").GetAttributeAsync("data-pass"), pass);
        Assert.DoesNotContain(residentErrors, e => !e.Contains("400", StringComparison.Ordinal)); // the refused phone answered 400

        browser.App.Time.Advance(TimeSpan.FromMinutes(5));
        await page.GotoAsync(manage!);
        await page.GetByRole(AriaRole.Link, new() { Name = "Mở máy quét mã QR cá nhân" }).ClickAsync();
        await page.Locator("#pass").FillAsync(pass!);
        await page.Locator("#pass").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#scans li").First).ToContainTextAsync("Đã khai báo vào");
        await page.Locator("#pass").FillAsync("CSP1.forged");
        await page.Locator("#pass").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#scans li.error")).ToHaveCountAsync(1);
        found = await (await health.GetAsync("/api/v1/staff/checkins?phone=0987654321&days=7", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("scanner", found[0].Str("source"));

        // A scanner opened without the owner's link asks for the key once; a wrong key is forgotten and asked again.
        var (desk, deskErrors) = await browser.NewPageAsync();
        await desk.GotoAsync($"/venues/{code}/scan");
        await Assertions.Expect(desk.Locator("#scan-form")).ToBeHiddenAsync();
        await desk.GetByLabel("Khoá quản lý địa điểm").FillAsync("not-the-key");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Bắt đầu quét" }).ClickAsync();
        await desk.Locator("#pass").FillAsync(pass!);
        await desk.Locator("#pass").PressAsync("Enter");
        await Assertions.Expect(desk.Locator("#scans li.error")).ToContainTextAsync("Khoá quản lý không đúng");
        await Assertions.Expect(desk.Locator("#key-form")).ToBeVisibleAsync();
        await desk.GetByLabel("Khoá quản lý địa điểm").FillAsync(Uri.UnescapeDataString(manage![(manage!.IndexOf("#key=", StringComparison.Ordinal) + 5)..]));
        await desk.GetByRole(AriaRole.Button, new() { Name = "Bắt đầu quét" }).ClickAsync();
        browser.App.Time.Advance(TimeSpan.FromMinutes(1));
        await desk.Locator("#pass").FillAsync(pass!);
        await desk.Locator("#pass").PressAsync("Enter");
        await Assertions.Expect(desk.Locator("#scans li.accepted")).ToHaveCountAsync(1);
        Assert.DoesNotContain(deskErrors, e => !e.Contains("403", StringComparison.Ordinal)); // the wrong key was answered 403

        // The owner renames and closes the venue; the resident's page then says it is closed.
        await page.GotoAsync(manage!);
        await page.GetByLabel("Tên địa điểm").FillAsync("Tiệm bánh Trúc Bạch 2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
        await Assertions.Expect(page.Locator("#venue-title")).ToHaveTextAsync("Tiệm bánh Trúc Bạch 2");
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Đóng địa điểm" }).ClickAsync();
        await Assertions.Expect(page.Locator("#closed")).ToBeVisibleAsync();
        Assert.DoesNotContain(errors, e => !e.Contains("400", StringComparison.Ordinal));
        var closed = await resident.GotoAsync($"/v/{code}");
        Assert.Equal(410, closed!.Status);
        await Assertions.Expect(resident.Locator("#closed")).ToBeVisibleAsync();
    }
}

/// <summary>The command's venue dashboard in Chromium: figures, the district map coloured by scans, the 30-day charts.</summary>
public sealed class VenueDashboardTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_dashboard_shows_the_days_figures_the_map_and_the_charts_in_both_languages()
    {
        var cancel = TestContext.Current.CancellationToken;
        var client = browser.App.CreateClient();
        var code = (await client.RegisterAsync(VenueClient.NewVenue("Chợ Phúc Xá"))).Str("code");
        foreach (var at in new[] { 0, 0, -1, -2 })
        {
            var body = new { venueCode = code, phone = VenueClient.NewPhone(), at = browser.App.Time.GetUtcNow().AddDays(at) };
            (await client.PostAsJsonAsync("/api/v1/checkins", body, cancel)).EnsureSuccessStatusCode();
        }

        var viewer = await browser.App.CreateStaffAsync(StaffRoles.Viewer, "01");
        var (page, errors) = await browser.NewPageAsync();
        await page.GotoAsync("/staff/venues");
        await page.GetByLabel("Thư điện tử").FillAsync(viewer.Email!);
        await page.GetByLabel("Mật khẩu").FillAsync(CitizenApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await page.WaitForURLAsync("**/staff/venues");

        await Assertions.Expect(page.Locator("#scans")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("#total-venues")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#active-venues")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#by-district tbody tr").First).ToHaveAttributeAsync("data-code", "001");
        await Assertions.Expect(page.Locator("#scan-map")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-loaded"));
        Assert.Equal("30", await page.Locator("#scan-map").GetAttributeAsync("data-features"));
        Assert.Equal("1", await page.Locator("#scan-map").GetAttributeAsync("data-coloured"));
        Assert.Equal(30, await page.Locator("#chart-scans rect").CountAsync());
        Assert.Equal("1", await page.Locator("#chart-scans rect").Nth(27).GetAttributeAsync("data-value"));
        Assert.Equal("2", await page.Locator("#chart-scans rect").Nth(29).GetAttributeAsync("data-value"));
        Assert.Equal("1", await page.Locator("#chart-new rect").Nth(29).GetAttributeAsync("data-value"));
        var silent = int.Parse(await page.Locator("#silent-wards").InnerTextAsync(), System.Globalization.CultureInfo.GetCultureInfo("vi-VN"));
        Assert.True(silent > 500);

        // Yesterday, in English; a date in the future is refused with the reason.
        await page.GotoAsync("/culture/en?returnUrl=" + Uri.EscapeDataString("/staff/venues?date=2021-08-19&unit=01"));
        await Assertions.Expect(page.Locator("#tiles")).ToContainTextAsync("scans");
        await Assertions.Expect(page.Locator("#scans")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#new-venues")).ToHaveTextAsync("0");
        var future = await page.GotoAsync("/staff/venues?date=2021-09-01");
        Assert.Equal(400, future!.Status);
        await Assertions.Expect(page.Locator("main .error")).ToContainTextAsync("not after today");
        Assert.DoesNotContain(errors, e => !e.Contains("400", StringComparison.Ordinal));
    }
}
