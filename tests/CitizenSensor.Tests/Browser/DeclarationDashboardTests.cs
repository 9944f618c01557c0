using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Declarations;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>The command's declaration figures page in Chromium: the day's tiles, by source and district, both day definitions.</summary>
public sealed class DeclarationDashboardTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_viewer_sees_the_days_figures_by_district_under_either_day_definition()
    {
        // 20/8/2021 08:00 in Hà Nội: two people in Ba Đình (one coughing), one in Hoàn Kiếm; then one more at 13:00.
        var client = browser.App.CreateClient();
        await client.DeclaredAsync(DeclarationClient.Valid(symptoms: ["cough"]));
        await client.DeclaredAsync(DeclarationClient.Valid());
        await client.DeclaredAsync(DeclarationClient.Valid(ward: DeclarationClient.OtherWard, exposures: ["outbreak-area"]));
        browser.App.Time.Advance(TimeSpan.FromHours(5));
        await client.DeclaredAsync(DeclarationClient.Valid());

        var viewer = await browser.App.CreateStaffAsync(StaffRoles.Viewer, "01");
        var (page, errors) = await browser.NewPageAsync();
        await page.GotoAsync("/staff/declarations?date=2021-08-20&day=calendar");
        await page.GetByLabel("Thư điện tử").FillAsync(viewer.Email!);
        await page.GetByLabel("Mật khẩu").FillAsync(CitizenApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();

        await Assertions.Expect(page.Locator("#on-day")).ToHaveTextAsync("4");
        await Assertions.Expect(page.Locator("#symptomatic")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#exposures")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#by-source")).ToContainTextAsync("app 1");
        await Assertions.Expect(page.Locator("#by-district tr[data-code='001'] td").Nth(1)).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("#chart-people rect").Last).ToHaveAttributeAsync("data-value", "4");

        // 12:00 to 12:00: the 13:00 declaration belongs to the next reporting day.
        await page.GetByLabel("Ngày báo cáo").SelectOptionAsync("noon-to-noon");
        await page.GetByRole(AriaRole.Button, new() { Name = "Xem" }).ClickAsync();
        await Assertions.Expect(page.Locator("#on-day")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("#window")).ToContainTextAsync("12:00 19/08 – 12:00 20/08/2021");
        Assert.Empty(errors);
    }
}
