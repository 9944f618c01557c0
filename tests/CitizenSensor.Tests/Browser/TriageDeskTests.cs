using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Reports;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>The city's dispatcher works a report waiting for triage in Chromium, on a phone-sized screen.</summary>
public sealed class TriageDeskTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_dispatcher_sees_why_a_report_waits_and_routes_it_by_a_name_typed_without_diacritics()
    {
        var client = browser.App.CreateClient();
        var code = await client.SubmitAsync(new { description = "Chợ tự phát họp trước cổng khu dân cư, rất đông người, không đeo khẩu trang", lat = 10.8700, lng = 106.8030 });
        Assert.Equal("needs-triage", (await client.WaitProcessedAsync(code)).Str("status"));
        var dispatcher = await browser.App.CreateStaffAsync(StaffRoles.CityTriage, "79");
        var (page, errors) = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);

        await page.GotoAsync("/staff/reports?show=needs-triage");
        await page.GetByLabel("Thư điện tử").FillAsync(dispatcher.Email!);
        await page.GetByLabel("Mật khẩu").FillAsync(CitizenApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = code }).ClickAsync();

        // Why it waits, in words; only the desk's actions; nothing wider than the phone.
        var reason = await page.Locator("#triage-reason").InnerTextAsync();
        Assert.False(string.IsNullOrWhiteSpace(reason));
        Assert.DoesNotContain("|", reason, StringComparison.Ordinal); // not the stored "kind|particulars"
        Assert.Equal(0, await page.Locator("form#resolve-form").CountAsync());
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 391);

        await page.Locator("#route-unit").FillAsync("go vap");
        await page.GetByRole(AriaRole.Button, new() { Name = "Chuyển đơn vị" }).ClickAsync();

        Assert.Equal("routed", await page.Locator("#status").GetAttributeAsync("data-status"));
        Assert.True(await page.Locator("#action-done").IsVisibleAsync());
        Assert.Contains("Gò Vấp", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }
}
