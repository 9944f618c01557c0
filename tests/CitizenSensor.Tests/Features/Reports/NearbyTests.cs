using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>"Is it one of these?": the reports near a point in the last day, public fields only, and limited per client.</summary>
public sealed class NearbyTests(NearbyTests.NearbyApp app) : IClassFixture<NearbyTests.NearbyApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Nearby_reports_of_the_last_day_are_shown_without_personal_data_and_the_lookup_is_rate_limited()
    {
        var client = app.CreateClient();
        var code = await client.SubmitAsync(new { description = "Quán karaoke Hoa Sen hát ầm ĩ, số nhà bí mật 77", lat = 10.79000, lng = 106.68000, reporter = new { name = "Ông Tư", phone = "0903999888", email = "tu@mail.test" } });
        await client.WaitProcessedAsync(code);

        var near = await (await client.GetAsync("/api/v1/reports/nearby?lat=10.79020&lng=106.68000", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var found = Assert.Single(near.EnumerateArray(), r => r.Str("code") == code);
        Assert.Equal(20, found.GetProperty("distanceMeters").GetDouble());
        Assert.EndsWith($"/r/{code}", found.Str("trackingUrl"), StringComparison.Ordinal);
        var text = near.GetRawText();
        Assert.DoesNotContain("bí mật", text, StringComparison.Ordinal);
        Assert.DoesNotContain("0903999888", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tu@mail.test", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Ông Tư", text, StringComparison.Ordinal);

        var far = await (await client.GetAsync("/api/v1/reports/nearby?lat=10.79500&lng=106.68000", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(far.EnumerateArray(), r => r.Str("code") == code);
        await (await client.GetAsync("/api/v1/reports/nearby?lat=abc&lng=106.68", Cancel)).ReadJsonAsync(HttpStatusCode.BadRequest);

        // A day later it is no longer "nearby".
        app.Time.Advance(TimeSpan.FromHours(25));
        var later = await (await client.GetAsync("/api/v1/reports/nearby?lat=10.79020&lng=106.68000", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(later.EnumerateArray(), r => r.Str("code") == code);

        // Four look-ups a minute in this app: the fifth is refused.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/v1/reports/nearby?lat=10.79020&lng=106.68000", Cancel)).StatusCode);
    }

    public sealed class NearbyApp : CitizenApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Reports:Nearby:PermitsPerMinute", "4");
        }
    }
}
