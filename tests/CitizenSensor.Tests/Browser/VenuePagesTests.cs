using CitizenSensor.Tests.Features.Venues;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>Venue pages in Chromium: the QR as the browser draws it (poster and SVG) read back by zbarimg, and the resident's check-in.</summary>
public sealed class VenuePagesTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_printed_poster_and_the_SVG_QR_decode_to_the_check_in_URL()
    {
        var venue = await browser.App.CreateClient().RegisterAsync(VenueClient.NewVenue("Siêu thị Phúc Xá"));
        var (page, errors) = await browser.NewPageAsync();
        await page.GotoAsync(venue.Str("posterUrl"));
        await Assertions.Expect(page.Locator("#venue-name")).ToHaveTextAsync("Siêu thị Phúc Xá");
        await Assertions.Expect(page.Locator("#venue-address")).ToContainTextAsync("Phường Phúc Xá, Quận Ba Đình");
        var printed = await page.Locator("#qr svg").ScreenshotAsync();
        Assert.Equal(venue.Str("checkInUrl"), await QrDecoder.DecodeAsync(printed, "png"));
        var pdf = await page.PdfAsync(new PagePdfOptions { PreferCSSPageSize = true });
        Assert.True(pdf.Length > 1000);

        Assert.Empty(errors);

        var (image, imageErrors) = await browser.NewPageAsync();
        await image.GotoAsync(venue.Str("qrSvgUrl"));
        var drawn = await image.Locator("svg").ScreenshotAsync();
        Assert.Equal(venue.Str("checkInUrl"), await QrDecoder.DecodeAsync(drawn, "png"));
        Assert.Empty(imageErrors);
    }
}
