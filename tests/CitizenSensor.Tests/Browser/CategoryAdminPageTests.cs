using CitizenSensor.Features.Staff;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>An admin edits categories on the page in Chromium: rename, a refused change with its reason, a new category.</summary>
public sealed class CategoryAdminPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_renames_a_category_sees_a_refusal_explained_and_adds_a_category()
    {
        var admin = await browser.App.CreateStaffAsync(StaffRoles.Admin, null);
        var (page, errors) = await browser.NewPageAsync();

        await page.GotoAsync("/staff/categories");
        await page.GetByLabel("Thư điện tử").FillAsync(admin.Email!);
        await page.GetByLabel("Mật khẩu").FillAsync(CitizenApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        Assert.EndsWith("/staff/categories", page.Url, StringComparison.Ordinal);

        var question = page.Locator("#categories tr[data-code='question']");
        await question.GetByLabel("Tên tiếng Việt").FillAsync("Hỏi đáp về phòng chống dịch");
        await question.GetByLabel("Xử lý trong (phút)").FillAsync("720");
        await question.GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
        Assert.Contains("question", await page.Locator("#category-saved").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Hỏi đáp về phòng chống dịch", await page.Locator("#categories tr[data-code='question']").GetByLabel("Tên tiếng Việt").InputValueAsync());
        Assert.Equal("720", await page.Locator("#categories tr[data-code='question']").GetByLabel("Xử lý trong (phút)").InputValueAsync());

        // Markup is refused by the server (the browser would allow it), with the reason shown.
        var other = page.Locator("#categories tr[data-code='other']");
        await other.GetByLabel("Tên tiếng Anh").FillAsync("<b>Other</b>");
        await other.GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
        Assert.Contains("nameEn", await page.Locator("#category-problem").InnerTextAsync(), StringComparison.Ordinal);
        errors.Clear(); // the console's note of that deliberate 400

        var add = page.Locator("#category-add");
        await add.GetByLabel("Mã").FillAsync("flooding");
        await add.GetByLabel("Tên tiếng Việt").FillAsync("Ngập úng sau mưa");
        await add.GetByLabel("Tên tiếng Anh").FillAsync("Flooding after rain");
        await add.GetByRole(AriaRole.Button, new() { Name = "Thêm lĩnh vực" }).ClickAsync();
        Assert.Equal(1, await page.Locator("#categories tr[data-code='flooding']").CountAsync());

        await page.GotoAsync("/report");
        Assert.Contains("Ngập úng sau mưa", await page.Locator("#category").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }
}
