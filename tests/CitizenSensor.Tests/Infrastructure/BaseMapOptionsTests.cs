using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace CitizenSensor.Tests.Infrastructure;

/// <summary>
/// <c>Map:TileUrl</c> through HTTP: the pages hand the configured tile server to the maps and the Content-Security-Policy
/// lets its images in, and nothing else; no tile server leaves the boundaries alone; a template that is not an http(s)
/// tile address stops the portal at start-up, naming the setting.
/// </summary>
public sealed class BaseMapOptionsTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task By_default_the_maps_draw_OpenStreetMap_tiles_which_the_policy_lets_in()
    {
        using var response = await app.CreateClient().GetAsync("/report", Cancel);
        var html = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Contains("data-map-tiles=\"https://tile.openstreetmap.org/{z}/{x}/{y}.png\"", html, StringComparison.Ordinal);
        Assert.Contains("data-map-attribution=\"© OpenStreetMap contributors\"", html, StringComparison.Ordinal);
        Assert.Contains("data-map-max-zoom=\"19\"", html, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data: blob: https://tile.openstreetmap.org;", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_citys_own_tile_server_with_subdomains_and_a_port_is_named_in_the_policy()
    {
        await using var city = new MapApp("https://{s}.tiles.hochiminhcity.gov.vn:8443/osm/{z}/{x}/{y}.png", "© OpenStreetMap contributors, Sở TT&TT");
        await city.InitializeAsync();
        using var response = await city.CreateClient().GetAsync("/reports", Cancel);
        var html = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Contains("data-map-tiles=\"https://{s}.tiles.hochiminhcity.gov.vn:8443/osm/{z}/{x}/{y}.png\"", html, StringComparison.Ordinal);
        Assert.Contains("data-map-attribution=\"© OpenStreetMap contributors, Sở TT&amp;TT\"", html, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data: blob: https://*.tiles.hochiminhcity.gov.vn:8443;", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_tile_server_the_maps_keep_to_the_boundaries_and_the_policy_to_the_portal()
    {
        await using var offline = new MapApp("", "");
        await offline.InitializeAsync();
        using var response = await offline.CreateClient().GetAsync("/report", Cancel);

        Assert.Contains("<body data-map-tiles=\"\" ", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal); // no tiles: the maps keep to boundaries
        Assert.Contains("img-src 'self' data: blob:;", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tile.openstreetmap.org/{z}/{x}/{y}.png")]
    [InlineData("javascript:alert(1)//{z}/{x}/{y}")]
    [InlineData("https://tiles.example.org/{z}/{x}/{y}.png; script-src *")]
    [InlineData("ftp://tiles.example.org/{z}/{x}/{y}.png")]
    public async Task A_template_that_is_not_an_http_tile_address_stops_the_portal_naming_the_setting(string template)
    {
        await using var broken = new MapApp(template, "x");
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () => await broken.InitializeAsync());
        Assert.Contains("Map:TileUrl", Flatten(failure), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org")]
    [InlineData("https://{s}.tile.example.org/{z}/{x}/{y}{r}.png", "https://*.tile.example.org")]
    [InlineData("http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png", "http://10.0.0.5:8080")]
    [InlineData("/tiles/{z}/{x}/{y}.png", "'self'")]
    [InlineData("//tiles.example.org/{z}/{x}/{y}.png", null)]
    public void The_policy_names_the_tile_servers_origin(string template, string? origin) =>
        Assert.Equal(origin, BaseMap.OriginOf(template));

    private static string Flatten(Exception exception) => exception.InnerException is { } inner ? exception.Message + " " + Flatten(inner) : exception.Message;

    private sealed class MapApp(string tileUrl, string attribution) : CitizenApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Map:TileUrl", tileUrl);
            builder.UseSetting("Map:Attribution", attribution);
        }
    }
}
