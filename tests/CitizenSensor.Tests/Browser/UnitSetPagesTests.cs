using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>
/// The units browser in Chromium on a day after the 1 July 2025 reform: today's communes on the city's map, the way
/// back to the 2021 units they were formed from and forward again, an address written the old way, and a phone's width.
/// </summary>
public sealed class UnitSetPagesTests : IClassFixture<BrowserFixture>
{
    private readonly BrowserFixture _browser;

    public UnitSetPagesTests(BrowserFixture browser)
    {
        _browser = browser;
        browser.App.Time.SetUtcNow(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Todays_communes_are_on_the_map_and_lead_back_to_the_2021_wards_they_came_from()
    {
        var (page, errors) = await _browser.NewPageAsync();
        await page.GotoAsync("/units");
        await page.GetByRole(AriaRole.Link, new() { Name = "Thành phố Hồ Chí Minh", Exact = true }).ClickAsync();
        Assert.Equal("Thành phố Hồ Chí Minh", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("từ 01/07/2025", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("#unit-map.is-loaded").WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal("168", await page.Locator("#unit-map").GetAttributeAsync("data-features"));

        await page.Locator(".unit-list").GetByRole(AriaRole.Link, new() { Name = "Phường Sài Gòn", Exact = true }).ClickAsync();
        Assert.Equal("Phường Sài Gòn", await page.Locator("h1").InnerTextAsync());
        var formedFrom = page.Locator("#unit-predecessors");
        await Assertions.Expect(formedFrom).ToContainTextAsync("Phường Bến Nghé");

        // The old ward shares the commune's code (26740): the link names its set, so it opens the 2021 ward, not today's commune.
        await formedFrom.GetByRole(AriaRole.Link, new() { Name = "Phường Bến Nghé" }).ClickAsync();
        Assert.Equal("Phường Bến Nghé", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("đến 30/06/2025", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator(".breadcrumb")).ToContainTextAsync("Quận 1");
        await page.Locator("#unit-successors").GetByRole(AriaRole.Link, new() { Name = "Phường Sài Gòn" }).ClickAsync();
        Assert.Equal("Phường Sài Gòn", await page.Locator("h1").InnerTextAsync());

        await page.Locator(".breadcrumb").GetByRole(AriaRole.Link, new() { Name = "Thành phố Hồ Chí Minh" }).ClickAsync();
        await page.Locator("#unit-map.is-loaded").WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal("168", await page.Locator("#unit-map").GetAttributeAsync("data-features"));
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Fact]
    public async Task An_address_written_the_old_way_finds_todays_commune_and_names_the_old_ward()
    {
        var (page, errors) = await _browser.NewPageAsync();
        await page.GotoAsync("/units");
        var address = page.GetByLabel("Địa chỉ này thuộc đơn vị nào?");
        await address.FillAsync("P.12, Q. Gò Vấp");
        await address.PressAsync("Enter");
        Assert.Contains("Phường An Hội Tây", await page.Locator("#address-result").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Phường 12", await page.Locator("#address-named").InnerTextAsync(), StringComparison.Ordinal);

        await page.GetByLabel("Địa chỉ này thuộc đơn vị nào?").FillAsync("Quận Gò Vấp");
        await page.GetByLabel("Địa chỉ này thuộc đơn vị nào?").PressAsync("Enter");
        var split = await page.Locator("#address-result").InnerTextAsync();
        Assert.Contains("Phường An Hội Tây", split, StringComparison.Ordinal); // one of the communes it now lies in, named
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Theory]
    [InlineData("/units/79?set=2025")]
    [InlineData("/units/26740?set=2025")]
    [InlineData("/units?q=sai+gon&set=2025")]
    public async Task The_2025_pages_fit_a_phone(string path)
    {
        var (page, errors) = await _browser.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(path);
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"{path} is {width} px wide at 390 px");
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }
}
