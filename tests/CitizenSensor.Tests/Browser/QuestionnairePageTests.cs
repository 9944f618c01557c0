using CitizenSensor.Features.Staff;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>Admin edits the declaration questionnaire in Chromium, and the public form follows the new version.</summary>
public sealed class QuestionnairePageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Admin_adds_a_question_rewords_and_reorders_questions_and_options_and_the_form_follows()
    {
        var admin = await browser.App.CreateStaffAsync(StaffRoles.Admin, null);
        var (page, errors) = await browser.NewPageAsync();
        await page.GotoAsync("/staff/questionnaire");
        await page.GetByLabel("Thư điện tử").FillAsync(admin.Email!);
        await page.GetByLabel("Mật khẩu").FillAsync(CitizenApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Tờ khai y tế: câu hỏi");

        // A choice without options is refused, with the reason; nothing is saved.
        var added = page.Locator("#new-question");
        await added.GetByLabel("Mã câu hỏi").FillAsync("vaccineDoses");
        await added.GetByLabel("Loại").SelectOptionAsync("choice");
        await added.GetByLabel("Tiếng Việt", new() { Exact = true }).FillAsync("Số mũi vắc-xin đã tiêm");
        await added.GetByLabel("English", new() { Exact = true }).FillAsync("Vaccine doses received");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu phiên bản mới" }).ClickAsync();
        await Assertions.Expect(page.Locator("#problem")).ToContainTextAsync("2 to 30 options");

        await added.GetByLabel("Mã câu hỏi").FillAsync("vaccineDoses");
        await added.GetByLabel("Loại").SelectOptionAsync("choice");
        await added.GetByLabel("Tiếng Việt", new() { Exact = true }).FillAsync("Số mũi vắc-xin đã tiêm");
        await added.GetByLabel("English", new() { Exact = true }).FillAsync("Vaccine doses received");
        await added.GetByLabel("Bắt buộc").CheckAsync();
        await added.GetByLabel("Lựa chọn").FillAsync("none | Chưa tiêm | None\none | 1 mũi | One\ntwo | 2 mũi | Two");
        await page.Locator("fieldset[data-question=address]").GetByLabel("Tiếng Việt", new() { Exact = true }).FillAsync("Địa chỉ nơi ở hiện tại");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu phiên bản mới" }).ClickAsync();
        await Assertions.Expect(page.Locator("#saved")).ToHaveTextAsync("Đã lưu phiên bản 2.");
        await Assertions.Expect(page.Locator("fieldset[data-question=vaccineDoses]")).ToHaveCountAsync(1);

        // The public form draws version 2: the new wording and the added question, which it requires.
        await page.GotoAsync("/declare");
        await Assertions.Expect(page.GetByLabel("Địa chỉ nơi ở hiện tại")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("2 mũi")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi tờ khai" }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToContainTextAsync("Chưa trả lời: Số mũi vắc-xin đã tiêm.");

        // A built-in question's option codes stay; their wording, the added question's options and the order change.
        await page.GotoAsync("/staff/questionnaire");
        var symptoms = page.Locator("fieldset[data-question=symptoms]").GetByLabel("Lựa chọn");
        var symptomLines = await symptoms.InputValueAsync();
        Assert.StartsWith("fever | ", symptomLines, StringComparison.Ordinal);
        await symptoms.FillAsync(symptomLines.Replace("fever | ", "high-fever | ", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu phiên bản mới" }).ClickAsync();
        await Assertions.Expect(page.Locator("#problem")).ToContainTextAsync("keeps its option codes");

        await page.GotoAsync("/staff/questionnaire");
        symptoms = page.Locator("fieldset[data-question=symptoms]").GetByLabel("Lựa chọn");
        await symptoms.FillAsync((await symptoms.InputValueAsync()).Replace("fever | Sốt |", "fever | Sốt (từ 37,5 °C) |", StringComparison.Ordinal));
        var vaccine = page.Locator("fieldset[data-question=vaccineDoses]");
        await vaccine.GetByLabel("Lựa chọn").FillAsync("none | Chưa tiêm | None\none | 1 mũi | One\ntwo | 2 mũi | Two\nthree | 3 mũi trở lên | Three or more");
        await vaccine.GetByLabel("Thứ tự").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu phiên bản mới" }).ClickAsync();
        await Assertions.Expect(page.Locator("#saved")).ToHaveTextAsync("Đã lưu phiên bản 3.");
        await Assertions.Expect(page.Locator("fieldset[data-question]").First).ToHaveAttributeAsync("data-question", "vaccineDoses");

        await page.GotoAsync("/declare");
        await Assertions.Expect(page.GetByLabel("3 mũi trở lên")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Sốt (từ 37,5 °C)")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>(
            "() => !!(document.getElementById('answers.vaccineDoses').compareDocumentPosition(document.getElementById('fullName')) & Node.DOCUMENT_POSITION_FOLLOWING)"),
            "the added question is not asked first");

        // Removing the added question is a fourth version.
        await page.GotoAsync("/staff/questionnaire");
        await page.Locator("fieldset[data-question=vaccineDoses]").GetByLabel("Bỏ câu hỏi này").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu phiên bản mới" }).ClickAsync();
        await Assertions.Expect(page.Locator("#saved")).ToHaveTextAsync("Đã lưu phiên bản 4.");
        await Assertions.Expect(page.Locator("fieldset[data-question=vaccineDoses]")).ToHaveCountAsync(0);
        Assert.All(errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }
}
