using System.Net;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Channels;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>An admin issues an Open311 key on the page in Chromium, the key works once copied, and revoking it stops it.</summary>
public sealed class Open311KeysPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_issues_a_key_that_works_and_revokes_it()
    {
        var admin = await browser.App.CreateStaffAsync(StaffRoles.Admin, null);
        var (page, errors) = await browser.NewPageAsync();
        await page.GotoAsync("/staff/open311");
        await page.GetByLabel("Thư điện tử").FillAsync(admin.Email!);
        await page.GetByLabel("Mật khẩu").FillAsync(CitizenApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();

        await page.GetByLabel("Tên ứng dụng").FillAsync("Ứng dụng Phường Bến Nghé");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cấp khóa" }).ClickAsync();
        var key = await page.Locator("#open311-new-key").InnerTextAsync();
        Assert.StartsWith("o311_", key, StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#open311-clients tr", new() { HasText = "Ứng dụng Phường Bến Nghé" }).CountAsync());

        var fields = new Dictionary<string, string>
        {
            ["api_key"] = key,
            ["service_code"] = "general",
            ["address_string"] = "phường Bến Nghé, quận 1",
            ["description"] = "Quán cà phê vẫn cho khách ngồi uống tại chỗ, đông người",
        };
        Assert.Equal(HttpStatusCode.Created, (await browser.App.CreateClient().PostRequestAsync("xml", fields)).StatusCode);

        await page.GotoAsync("/staff/open311"); // the key is not shown again
        Assert.Equal(0, await page.Locator("#open311-new-key").CountAsync());
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);
        await page.Locator("#open311-clients tr", new() { HasText = "Ứng dụng Phường Bến Nghé" }).GetByRole(AriaRole.Button, new() { Name = "Thu hồi" }).ClickAsync();
        Assert.Contains("Đã thu hồi", await page.Locator("#open311-clients tr", new() { HasText = "Ứng dụng Phường Bến Nghé" }).InnerTextAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await browser.App.CreateClient().PostRequestAsync("xml", fields)).StatusCode);
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }
}
