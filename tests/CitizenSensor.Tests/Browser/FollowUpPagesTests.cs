using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Declarations;
using CitizenSensor.Tests.Features.Venues;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>The health officer's follow-up pages in Chromium: the queue without identities, the reason, the contact, the outcome.</summary>
public sealed class FollowUpPagesTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_ward_health_officer_opens_a_task_with_a_reason_and_records_the_outcome()
    {
        var phone = VenueClient.NewPhone();
        await browser.App.CreateClient().DeclaredAsync(DeclarationClient.Valid(phone, name: "Đỗ Văn Tùng", symptoms: ["breathing-difficulty"]));
        var officer = await browser.App.CreateStaffAsync(StaffRoles.HealthOfficer, DeclarationClient.Ward);
        var (page, errors) = await browser.NewPageAsync();
        await page.GotoAsync("/staff/followups");
        await page.GetByLabel("Thư điện tử").FillAsync(officer.Email!);
        await page.GetByLabel("Mật khẩu").FillAsync(CitizenApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();

        // The queue: why and when, no name or phone.
        var row = page.Locator("#tasks tbody tr").Filter(new() { HasText = "Khó thở" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        Assert.DoesNotContain(phone, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("Đỗ Văn Tùng", await page.ContentAsync(), StringComparison.Ordinal);
        await row.GetByRole(AriaRole.Link, new() { Name = "Liên hệ" }).ClickAsync();

        // A reason first, then the contact.
        await Assertions.Expect(page.Locator("#person")).ToHaveCountAsync(0);
        await page.GetByLabel("Lý do xem thông tin cá nhân").FillAsync("Gọi hỏi triệu chứng khó thở");
        await page.GetByRole(AriaRole.Button, new() { Name = "Xem thông tin liên hệ" }).ClickAsync();
        await Assertions.Expect(page.Locator("#person-name")).ToContainTextAsync("Đỗ Văn Tùng");
        await Assertions.Expect(page.Locator("#person-phone")).ToHaveTextAsync(phone);

        // No outcome chosen: said so, the contact still there. Then "not reached" keeps it open; "advised testing" closes it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Ghi kết quả" }).ClickAsync();
        await Assertions.Expect(page.Locator("#problem")).ToHaveTextAsync("Chọn một kết quả.");
        await Assertions.Expect(page.Locator("#person-phone")).ToHaveTextAsync(phone);
        await page.GetByLabel("Không liên lạc được").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ghi kết quả" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToBeVisibleAsync();
        await Assertions.Expect(row).ToContainTextAsync("1 lần gọi");
        await row.GetByRole(AriaRole.Link, new() { Name = "Liên hệ" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Xem thông tin liên hệ" }).ClickAsync();
        await page.GetByLabel("Đã hướng dẫn xét nghiệm").CheckAsync();
        await page.GetByLabel("Ghi chú").FillAsync("Hẹn test nhanh tại trạm y tế phường lúc 8 giờ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ghi kết quả" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToBeVisibleAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await page.GotoAsync("/staff/followups?status=closed");
        await Assertions.Expect(page.Locator("#tasks tbody tr").Filter(new() { HasText = "Khó thở" })).ToContainTextAsync("Đã hướng dẫn xét nghiệm");

        // The only console errors allowed are the 400s of the empty outcome.
        Assert.All(errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }
}
