using System.Globalization;
using System.Text.RegularExpressions;
using CitizenSensor.Data;
using CitizenSensor.Features.Declarations;
using CitizenSensor.Tests.Features.Declarations;
using CitizenSensor.Tests.Features.Venues;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>The public declaration form in Chromium, in Vietnamese and in English, with and without JavaScript.</summary>
public sealed partial class DeclarationFormTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<Declaration> StoredAsync(long id)
    {
        await using var scope = browser.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CitizenDb>().Set<Declaration>().AsNoTracking().SingleAsync(d => d.Id == id, Cancel);
    }

    [Fact]
    public async Task A_resident_declares_in_Vietnamese_without_JavaScript_fixes_the_errors_and_gets_the_personal_QR()
    {
        var (page, _) = await browser.NewPageAsync("vi-VN", javaScript: false);
        await page.GotoAsync("/declare");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Tờ khai y tế điện tử");
        await page.GetByLabel("Họ và tên").FillAsync("Phạm Thị Lan");
        await page.GetByLabel("Năm sinh").FillAsync("19x0");
        await page.GetByLabel("Số điện thoại").FillAsync("12345");
        await page.GetByLabel("Nữ").CheckAsync();
        await page.GetByLabel("Phường/xã nơi ở").SelectOptionAsync(DeclarationClient.Ward);
        await page.GetByLabel("Ho", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Sốt").CheckAsync();
        await page.GetByLabel("Nơi đã đến 1").FillAsync("Chợ Đồng Xuân");
        await page.GetByLabel("Ngày đến").First.FillAsync(DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi tờ khai" }).ClickAsync();

        // Each problem named in Vietnamese; what was typed and ticked is kept.
        var summary = page.Locator("#error-summary");
        await Assertions.Expect(summary).ToContainTextAsync("Năm sinh: một số nguyên.");
        await Assertions.Expect(summary).ToContainTextAsync("số điện thoại Việt Nam");
        await Assertions.Expect(summary).ToContainTextAsync("Chưa trả lời: Địa chỉ (số nhà, đường).");
        await Assertions.Expect(summary).ToContainTextAsync("chưa tới");
        await Assertions.Expect(page.GetByLabel("Họ và tên")).ToHaveValueAsync("Phạm Thị Lan");
        await Assertions.Expect(page.GetByLabel("Sốt")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("Phường/xã nơi ở")).ToHaveValueAsync(DeclarationClient.Ward);

        var phone = VenueClient.NewPhone();
        await page.GetByLabel("Năm sinh").FillAsync("1990");
        await page.GetByLabel("Số điện thoại").FillAsync(phone);
        await page.GetByLabel("Địa chỉ (số nhà, đường)").FillAsync("8 Hàng Chiếu");
        await page.GetByLabel("Ngày đến").First.FillAsync(browser.App.Time.GetUtcNow().AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi tờ khai" }).ClickAsync();

        var declared = page.Locator("#declared");
        await Assertions.Expect(declared).ToContainTextAsync("Đã ghi nhận tờ khai");
        var id = long.Parse((await declared.GetAttributeAsync("data-id"))!, CultureInfo.InvariantCulture);
        var qr = await page.Locator("#personal-qr svg").ScreenshotAsync();
        Assert.StartsWith("CSP1.", await QrDecoder.DecodeAsync(qr, "png"), StringComparison.Ordinal);
        var stored = await StoredAsync(id);
        Assert.Equal("web", stored.Source);
        Assert.Equal(Symptoms.Fever | Symptoms.Cough, stored.Symptoms);
        Assert.Equal(DeclarationClient.Ward, stored.WardCode);
    }

    [Fact]
    public async Task The_form_speaks_English_and_counts_a_second_declaration_as_a_version()
    {
        var (page, errors) = await browser.NewPageAsync("en-US");
        // From the home page, in English.
        await page.GotoAsync("/culture/en?returnUrl=/");
        await page.Locator("#epidemic").GetByRole(AriaRole.Link, new() { Name = "Electronic health declaration" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Electronic health declaration");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the declaration" }).ClickAsync();
        var summary = page.Locator("#error-summary");
        await Assertions.Expect(summary).ToContainTextAsync("Required: Full name.");
        await Assertions.Expect(summary).ToContainTextAsync("Required: Phone number.");
        await Assertions.Expect(summary).ToContainTextAsync(ThingsToFix());

        var phone = VenueClient.NewPhone();
        for (var round = 1; round <= 2; round++)
        {
            if (round == 2)
            {
                await page.GotoAsync("/declare");
            }

            await page.GetByLabel("Full name").FillAsync("John Nguyen");
            await page.GetByLabel("Year of birth").FillAsync("1978");
            await page.GetByLabel("Male", new() { Exact = true }).CheckAsync();
            await page.GetByLabel("Phone number").FillAsync(phone);
            await page.GetByLabel("Ward of residence").SelectOptionAsync(DeclarationClient.OtherWard);
            await page.GetByLabel("Address (house number, street)").FillAsync("3 Trần Quang Khải");
            await page.GetByLabel("Contact with a confirmed case").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Send the declaration" }).ClickAsync();
            await Assertions.Expect(page.Locator("#declared")).ToContainTextAsync("Your declaration is recorded");
            await Assertions.Expect(page.Locator("#declared")).ToHaveAttributeAsync("data-version", round.ToString(CultureInfo.InvariantCulture));
        }

        await Assertions.Expect(page.Locator("#declared")).ToContainTextAsync("declaration number 2 today");
        var stored = await StoredAsync(long.Parse((await page.Locator("#declared").GetAttributeAsync("data-id"))!, CultureInfo.InvariantCulture));
        Assert.Equal(Exposures.ContactConfirmed, stored.Exposures);
        Assert.Equal(2, stored.Version);
        // The only console error allowed is the 400 of the first, empty submission.
        Assert.All(errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }

    [GeneratedRegex("The declaration has \\d+ things to fix")]
    private static partial Regex ThingsToFix();
}
