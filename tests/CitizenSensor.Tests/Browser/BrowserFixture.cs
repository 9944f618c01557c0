using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>
/// The portal on a real Kestrel port and Debian's Chromium driven by Playwright. Chromium is found at
/// <c>CHROMIUM_PATH</c> or <c>/usr/bin/chromium</c>; without it the browser tests are skipped (and CI fails on skips).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public KestrelCitizenApp App { get; } = new();

    public IBrowser? Browser { get; private set; }

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        await App.InitializeAsync();
        if (!File.Exists(ChromiumPath))
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--disable-quic",
            ],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>The basemap's tile server (the default, OpenStreetMap's) as a connected portal would reach it.</summary>
    public const string TileServer = "https://tile.openstreetmap.org/**";

    /// <summary>
    /// This machine reaches no tile server: the browser's requests for tiles are answered with a test PNG, as the real
    /// server would answer a connected portal. A test that wants the network blocked routes them to an abort instead.
    /// </summary>
    public static Task ServeTilesAsync(IBrowserContext context) =>
        context.RouteAsync(TileServer, route => route.FulfillAsync(new RouteFulfillOptions { ContentType = "image/png", BodyBytes = Tile.Value }));

    private static readonly Lazy<byte[]> Tile = new(() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Assets", "photo.png")));

    /// <summary>A fresh browser context (its own cookies) with a page that records console errors.</summary>
    public async Task<(IPage Page, List<string> Errors)> NewPageAsync(string? locale = "vi-VN", bool javaScript = true)
    {
        if (Browser is null)
        {
            Assert.Skip($"Chromium not found at {ChromiumPath}: install Debian's chromium package (./test.sh does).");
        }

        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = App.ServerAddress.ToString(), Locale = locale, JavaScriptEnabled = javaScript });
        await ServeTilesAsync(context);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        page.RequestFailed += (_, request) =>
        {
            // Leaflet cancels the tiles it no longer needs when a map moves or the page is left: not a failure.
            if (!(request.Failure == "net::ERR_ABORTED" && request.Url.StartsWith(TileServer.TrimEnd('*'), StringComparison.Ordinal)))
            {
                errors.Add($"{request.Url}: {request.Failure}");
            }
        };
        return (page, errors);
    }
}
