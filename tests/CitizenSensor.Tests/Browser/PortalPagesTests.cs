using CitizenSensor.Features.Staff;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>The public pages and staff sign-in, as a person uses them in Chromium.</summary>
public sealed class PortalPagesTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_home_page_is_Vietnamese_and_switches_to_English()
    {
        var (page, errors) = await browser.NewPageAsync();

        await page.GotoAsync("/");
        Assert.Equal("Cổng phản ánh của thành phố", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("Thành phố Hồ Chí Minh: 22 quận", await page.Locator(".coverage").InnerTextAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();

        Assert.Equal("The city's reporting portal", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("Thành phố Hà Nội: 30 districts; 526 wards", await page.Locator(".coverage").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Fact]
    public async Task A_city_page_draws_every_district_boundary_over_the_street_basemap()
    {
        var (page, errors) = await browser.NewPageAsync();

        await page.GotoAsync("/units/79");
        await page.Locator("#unit-map.is-loaded").WaitForAsync(new() { Timeout = 15_000 });

        Assert.Equal("22", await page.Locator("#unit-map").GetAttributeAsync("data-features"));
        Assert.Equal(22, await page.Locator("#unit-map .leaflet-overlay-pane path").CountAsync());
        await Assertions.Expect(page.Locator("#unit-map")).ToHaveAttributeAsync("data-basemap", "tiles");
        await Assertions.Expect(page.Locator("#unit-map img.leaflet-tile-loaded").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#unit-map .leaflet-control-attribution")).ToContainTextAsync("© OpenStreetMap contributors");
        Assert.True(errors.Count == 0, string.Join('\n', errors)); // CSP violations and failed requests would show here

        // Clicking a district opens it.
        await page.GetByRole(AriaRole.Link, new() { Name = "Quận Gò Vấp" }).ClickAsync();
        Assert.Equal("Quận Gò Vấp", await page.Locator("h1").InnerTextAsync());
    }

    [Fact]
    public async Task Searching_without_diacritics_finds_the_unit_and_an_address_finds_its_ward()
    {
        var (page, _) = await browser.NewPageAsync();
        await page.GotoAsync("/units");

        await page.GetByLabel("Tìm theo tên").FillAsync("go vap");
        await page.GetByLabel("Tìm theo tên").PressAsync("Enter");
        await page.Locator("#search-results").WaitForAsync();
        Assert.Contains("Quận Gò Vấp", await page.Locator("#search-results").InnerTextAsync(), StringComparison.Ordinal);

        await page.GotoAsync("/units");
        await page.GetByLabel("Địa chỉ này thuộc đơn vị nào?").FillAsync("12 Nguyen Hue, p ben nghe, q1");
        await page.GetByLabel("Địa chỉ này thuộc đơn vị nào?").PressAsync("Enter");
        Assert.Equal("Thuộc Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh", await page.Locator("#address-result").InnerTextAsync());
    }

    [Fact]
    public async Task Script_typed_into_a_search_is_shown_as_text_not_run()
    {
        var (page, errors) = await browser.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) =>
        {
            dialogs++;
            _ = dialog.DismissAsync();
        };

        await page.GotoAsync("/units?q=" + Uri.EscapeDataString("<img src=x onerror=alert(1)>"));

        Assert.Contains("<img src=x onerror=alert(1)>", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, dialogs);
        Assert.Equal(0, await page.Locator("main img").CountAsync());
    }

    [Fact]
    public async Task Staff_sign_in_shows_the_officers_unit_and_a_wrong_password_says_so()
    {
        var officer = await browser.App.CreateStaffAsync(StaffRoles.UnitOfficer, "760");
        var (page, errors) = await browser.NewPageAsync();
        await page.GotoAsync("/staff");
        Assert.EndsWith("/staff/login?ReturnUrl=%2Fstaff", page.Url, StringComparison.Ordinal);

        await page.GetByLabel("Thư điện tử").FillAsync(officer.Email!);
        await page.GetByLabel("Mật khẩu").FillAsync("wrong-password!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        Assert.Equal("Thư điện tử hoặc mật khẩu không đúng.", await page.Locator("#login-error").InnerTextAsync());

        await page.GetByLabel("Mật khẩu").FillAsync(CitizenApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();

        Assert.EndsWith("/staff", page.Url, StringComparison.Ordinal);
        Assert.Equal("Quận 1", await page.Locator("#staff-unit").InnerTextAsync());
        Assert.Equal("Cán bộ đơn vị", await page.Locator("#staff-roles").InnerTextAsync()); // the role in words, not "UnitOfficer"
        Assert.Equal(StaffRoles.UnitOfficer, await page.Locator("#staff-roles").GetAttributeAsync("data-roles"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng xuất" }).ClickAsync();
        await page.GotoAsync("/staff");
        Assert.Contains("/staff/login", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(errors, e => !e.Contains("401", StringComparison.Ordinal));
    }
}
