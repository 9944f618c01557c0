using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Reports;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>The report statistics page in Chromium on a phone-width screen, in Vietnamese and English.</summary>
public sealed class ReportStatsPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData("vi-VN", "Đăng nhập", "Mật khẩu", "Thư điện tử", "Điện thoại 1022")]
    [InlineData("en-US", "Sign in", "Password", "E-mail", "Phone 1022")]
    public async Task An_officer_reads_the_days_figures_at_390_px_without_sideways_scrolling(string locale, string signIn, string password, string email, string phone)
    {
        var day = locale == "vi-VN" ? new DateOnly(2021, 6, 1) : new DateOnly(2021, 6, 2);
        await ReportStatsData.SeedAsync(browser.App, day);
        var officer = await browser.App.CreateStaffAsync(StaffRoles.UnitOfficer, ReportStatsData.GoVap);
        var (page, errors) = await browser.NewPageAsync(locale);
        await page.SetViewportSizeAsync(390, 844);
        var query = $"from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}" + (locale == "en-US" ? "&culture=en" : "");
        await page.GotoAsync($"/staff/reports/stats?{query}");
        await page.GetByLabel(email, new() { Exact = true }).FillAsync(officer.Email!);
        await page.GetByLabel(password, new() { Exact = true }).FillAsync(CitizenApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = signIn }).ClickAsync();

        await Assertions.Expect(page.Locator("#received")).ToHaveTextAsync("5");
        await Assertions.Expect(page.Locator("#forward-rate")).ToHaveTextAsync("60 %");
        await Assertions.Expect(page.Locator("#by-channel")).ToContainTextAsync(phone);
        await Assertions.Expect(page.Locator("#chart-received rect").Last).ToHaveAttributeAsync("data-value", "5");
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than the 390px screen");
        Assert.Empty(errors);
    }
}
