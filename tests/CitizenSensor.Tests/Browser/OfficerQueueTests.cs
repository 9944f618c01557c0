using System.Net.Http.Json;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Reports;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>An officer of Quận 1 works the queue in Chromium: sees only Quận 1, accepts, resolves.</summary>
public sealed class OfficerQueueTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_officer_sees_only_their_districts_reports_and_resolves_one()
    {
        var quan1 = await SubmitAsync("Quán cà phê trên đường Pasteur vẫn cho khách ngồi tại chỗ, đông người", "phường Bến Nghé, quận 1");
        var quan3 = await SubmitAsync("Tiệm tóc trong hẻm vẫn mở cửa cắt tóc cho khách", "phường 1, quận 3");
        var officer = await browser.App.CreateStaffAsync(StaffRoles.UnitOfficer, "760");
        var (page, errors) = await browser.NewPageAsync();

        await page.GotoAsync("/staff/reports");
        await page.GetByLabel("Thư điện tử").FillAsync(officer.Email!);
        await page.GetByLabel("Mật khẩu").FillAsync(CitizenApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();

        Assert.EndsWith("/staff/reports", page.Url, StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator($"#queue li[data-code='{quan1}']").CountAsync());
        Assert.Equal(0, await page.Locator($"#queue li[data-code='{quan3}']").CountAsync());
        Assert.Equal(404, (await page.GotoAsync($"/staff/reports/{quan3}"))!.Status);

        errors.Clear(); // the console's note of that deliberate 404

        await page.GotoAsync("/staff/reports");
        await page.GetByRole(AriaRole.Link, new() { Name = quan1 }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp nhận xử lý" }).ClickAsync();
        Assert.Equal("in-progress", await page.Locator("#status").GetAttributeAsync("data-status"));

        await page.GetByLabel("Kết quả xử lý (công khai)").FillAsync("Đã kiểm tra, lập biên bản chủ quán và yêu cầu chỉ bán mang về");
        await page.GetByLabel("Mức phạt (đồng)").FillAsync("7500000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cập nhật kết quả" }).ClickAsync();

        Assert.Equal("resolved", await page.Locator("#status").GetAttributeAsync("data-status"));
        Assert.Contains("yêu cầu chỉ bán mang về", await page.Locator("#result").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(errors.Count == 0, string.Join('\n', errors));

        var citizen = await browser.App.CreateClient().GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/reports/{quan1}", TestContext.Current.CancellationToken);
        Assert.Equal("resolved", citizen.GetProperty("status").GetString());
    }

    private async Task<string> SubmitAsync(string description, string address)
    {
        var client = browser.App.CreateClient();
        var code = await client.SubmitAsync(new { description, address });
        Assert.Equal("routed", (await client.WaitProcessedAsync(code)).Str("status"));
        return code;
    }
}
