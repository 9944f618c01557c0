using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;

namespace CitizenSensor.Tests.Infrastructure;

/// <summary>
/// Links come from Site:PublicBaseUrl only: a forged Host header changes no poster, QR or tracking link; in Production
/// the portal refuses to start without the address, and answers only requests for its public host.
/// </summary>
public sealed class PublicSiteTests(PublicSiteTests.ProductionApp app) : IClassFixture<PublicSiteTests.ProductionApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_forged_host_header_changes_no_link_and_in_production_is_refused()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Host = "1022.city.test";
        var venue = await (await client.PostAsJsonAsync("/api/v1/venues", Features.Venues.VenueClient.NewVenue("Quán phở Hoà"), Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.StartsWith("https://1022.city.test/v/", venue.Str("checkInUrl"), StringComparison.Ordinal);

        var forged = app.CreateClient();
        forged.DefaultRequestHeaders.Host = "evil.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await forged.GetAsync($"/api/v1/venues/{venue.Str("code")}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Without_a_public_address_the_portal_does_not_start_in_production()
    {
        await using var missing = new MissingApp();
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () => await missing.InitializeAsync());
        Assert.Contains("Site:PublicBaseUrl", Flatten(failure), StringComparison.Ordinal);
    }

    private static string Flatten(Exception exception) => exception.InnerException is { } inner ? exception.Message + " " + Flatten(inner) : exception.Message;

    public class ProductionApp : CitizenApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
            builder.UseSetting("Site:PublicBaseUrl", "https://1022.city.test");
        }
    }

    private sealed class MissingApp : ProductionApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Site:PublicBaseUrl", "");
        }
    }
}
