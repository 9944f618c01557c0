using CitizenSensor.Features.Staff;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>The error pages as a person meets them in Chromium: in the layout, on a phone, with a way back.</summary>
public sealed class ErrorPagesBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_unknown_venue_is_a_404_page_in_the_layout_that_fits_a_phone_and_leads_home()
    {
        var (page, errors) = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);

        var response = await page.GotoAsync("/v/NOSUCHVENUE");

        Assert.Equal(404, response!.Status);
        Assert.Equal("Không tìm thấy trang", await page.Locator("h1").InnerTextAsync());
        Assert.True(await page.Locator("header.site-header nav").IsVisibleAsync());
        Assert.StartsWith("Không tìm thấy trang", await page.TitleAsync(), StringComparison.Ordinal);
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        var clientWidth = await page.EvaluateAsync<int>("() => document.documentElement.clientWidth");
        Assert.Equal(390, clientWidth);
        Assert.True(scrollWidth <= clientWidth, $"The page scrolls sideways: {scrollWidth} > {clientWidth}");
        // Nothing failed (the stylesheet, the content policy) but the page's own 404.
        Assert.DoesNotContain(errors, e => !e.Contains("/v/NOSUCHVENUE", StringComparison.Ordinal));

        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        Assert.Equal("Page not found", await page.Locator("h1").InnerTextAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the home page" }).ClickAsync();
        Assert.Equal("The city's reporting portal", await page.Locator("h1").InnerTextAsync());
    }

    [Fact]
    public async Task A_viewer_opening_an_admin_page_is_told_not_permitted_and_can_sign_in_as_someone_else()
    {
        var viewer = await browser.App.CreateStaffAsync(StaffRoles.Viewer, "760");
        var admin = await browser.App.CreateStaffAsync(StaffRoles.Admin, null);
        var (page, _) = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/staff/login");
        await page.GetByLabel("Thư điện tử").FillAsync(viewer.Email!);
        await page.GetByLabel("Mật khẩu").FillAsync(CitizenApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();

        var response = await page.GotoAsync("/staff/categories");

        Assert.Equal(403, response!.Status);
        Assert.Equal("Không được phép", await page.Locator("h1").InnerTextAsync());
        Assert.True(await page.Locator("#error-staff").IsVisibleAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "Đăng nhập bằng tài khoản khác" }).ClickAsync();
        await page.GetByLabel("Thư điện tử").FillAsync(admin.Email!);
        await page.GetByLabel("Mật khẩu").FillAsync(CitizenApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        Assert.EndsWith("/staff/categories", page.Url, StringComparison.Ordinal);
        Assert.NotEqual("Không được phép", await page.Locator("h1").InnerTextAsync());
    }
}
