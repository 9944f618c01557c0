using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Tracing;
using CitizenSensor.Tests.Features.Venues;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>
/// Tracing in Chromium on a phone (390 px): a health officer opens a case, traces it, reads the identity for a reason,
/// downloads the F1 list, sees the figures and publishes a place of exposure; the public list shows it; the F1 sees the
/// notice on /my-qr; an Admin saves the rules as a new version.
/// </summary>
public sealed class TracingPagesTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const int Width = 390;

    [Fact]
    public async Task An_officer_opens_and_traces_a_case_publishes_its_place_and_the_contact_sees_the_notice()
    {
        var app = browser.App;
        var t = app.Time.GetUtcNow().AddHours(-20);
        var venue = (await app.CreateClient().RegisterAsync(VenueClient.NewVenue("Quán cà phê Góc Phố", ward: Timeline.Ward))).Str("code");
        var (f0, contact) = (VenueClient.NewPhone(), VenueClient.NewPhone());
        await app.VisitAsync(venue, f0, t, 0, until: 60);
        await app.VisitAsync(venue, contact, t, 15, until: 45);
        var officer = await app.CreateStaffAsync(StaffRoles.HealthOfficer, Timeline.Ward);
        var (page, errors) = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(Width, 844);
        await page.GotoAsync("/staff/cases");
        await page.GetByLabel("Thư điện tử").FillAsync(officer.Email!);
        await page.GetByLabel("Mật khẩu").FillAsync(CitizenApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();

        // Open the case with the form.
        await Assertions.Expect(page.Locator("#no-cases")).ToBeVisibleAsync();
        await NoSidewaysScrollAsync(page);
        await page.Locator("#phone").FillAsync(f0);
        await page.Locator("#name").FillAsync("Hoàng Thị Mai");
        await page.Locator("#testDate").FillAsync(CitizenSensor.Infrastructure.CityTime.DayOf(app.Time.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#wardCode").SelectOptionAsync(Timeline.Ward);
        await page.GetByRole(AriaRole.Button, new() { Name = "Mở ca bệnh" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/staff/cases/[0-9]+$"));
        await Assertions.Expect(page.Locator("#case-status")).ToHaveTextAsync("Đang điều trị");
        Assert.DoesNotContain(f0, await page.ContentAsync(), StringComparison.Ordinal);

        // Trace: the contact is found; the identity needs a reason; the list downloads with the contact's phone.
        await page.Locator("#trace-form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#traced")).ToContainTextAsync("1 người tiếp xúc");
        await Assertions.Expect(page.Locator("#exposures tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#exposures tbody tr")).ToContainTextAsync("Quán cà phê Góc Phố");
        await NoSidewaysScrollAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Xem danh tính (ghi nhật ký)" }).ClickAsync();
        await Assertions.Expect(page.Locator("#identity")).ToContainTextAsync("Hoàng Thị Mai");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-form button[value=csv]").ClickAsync());
        var file = await File.ReadAllTextAsync((await download.PathAsync())!, TestContext.Current.CancellationToken);
        Assert.Contains(contact, file, StringComparison.Ordinal);
        Assert.DoesNotContain(f0, file, StringComparison.Ordinal);

        // The dashboard counts the day and lists the place; publishing it puts it on the public list.
        await page.GotoAsync("/staff/tracing");
        await Assertions.Expect(page.Locator("#new-cases")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#new-f1")).ToHaveTextAsync("1");
        await NoSidewaysScrollAsync(page);
        var site = page.Locator("#sites tbody tr").Filter(new() { HasText = "Quán cà phê Góc Phố" });
        await site.GetByPlaceholder("Lời khuyên").FillAsync("Ai đến quán trong khung giờ này, xin gọi trạm y tế phường.");
        await site.GetByRole(AriaRole.Button, new() { Name = "Công bố" }).ClickAsync();
        await Assertions.Expect(page.Locator("#done")).ToContainTextAsync("Quán cà phê Góc Phố");
        await page.GotoAsync("/exposure-sites");
        await Assertions.Expect(page.Locator("#sites li")).ToContainTextAsync("Ai đến quán trong khung giờ này");
        Assert.DoesNotContain("Hoàng Thị Mai", await page.ContentAsync(), StringComparison.Ordinal);
        await NoSidewaysScrollAsync(page);

        // The contact, on their own phone, sees the notice on /my-qr: the day and what to do.
        var (resident, residentErrors) = await browser.NewPageAsync();
        await resident.SetViewportSizeAsync(Width, 844);
        await resident.GotoAsync("/my-qr");
        await resident.Locator("#phone").FillAsync(contact);
        await resident.Locator("#show-qr").ClickAsync();
        await Assertions.Expect(resident.Locator("#health-notice")).ToBeVisibleAsync();
        await Assertions.Expect(resident.Locator("#health-notice")).ToContainTextAsync(CitizenSensor.Infrastructure.CityTime.DayOf(t).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain("Quán cà phê Góc Phố", await resident.Locator("#health-notice").InnerTextAsync(), StringComparison.Ordinal);
        await NoSidewaysScrollAsync(resident);

        var unexpected = errors.Where(e => !e.Contains("tile.openstreetmap", StringComparison.Ordinal) && !(e.Contains("handler=Contacts", StringComparison.Ordinal) && e.Contains("ERR_ABORTED", StringComparison.Ordinal))).ToList(); // a download ends its navigation as "aborted"
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
        Assert.Empty(residentErrors);
    }

    [Fact]
    public async Task An_admin_saves_the_rules_as_a_new_version_and_a_bad_value_is_named()
    {
        var admin = await browser.App.CreateStaffAsync(StaffRoles.Admin, null);
        var (page, _) = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(Width, 844);
        await page.GotoAsync("/staff/tracing/rules?city=79");
        await page.GetByLabel("Thư điện tử").FillAsync(admin.Email!);
        await page.GetByLabel("Mật khẩu").FillAsync(CitizenApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await Assertions.Expect(page.Locator("#version")).ToContainTextAsync("phiên bản 0");
        await NoSidewaysScrollAsync(page);

        await page.Locator("#match").SelectOptionAsync("weighted-overlap");
        await page.Locator("#kindWeights").FillAsync("restaurant=0,5\nschool=x");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu thành phiên bản mới" }).ClickAsync();
        await Assertions.Expect(page.Locator("#problem")).ToContainTextAsync("kind");
        await Assertions.Expect(page.Locator("#match")).ToHaveValueAsync("weighted-overlap"); // what was posted stays in the form

        await page.Locator("#kindWeights").FillAsync("restaurant=0,5");
        await page.Locator("#clusterCases").FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu thành phiên bản mới" }).ClickAsync();
        await Assertions.Expect(page.Locator("#saved")).ToContainTextAsync("phiên bản 1");
        await Assertions.Expect(page.Locator("#clusterCases")).ToHaveValueAsync("3");
        await Assertions.Expect(page.Locator("#kindWeights")).ToHaveValueAsync("restaurant=0.5");
    }

    private static async Task NoSidewaysScrollAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= Width + 1, $"{page.Url} scrolls sideways at {Width} px");
}
