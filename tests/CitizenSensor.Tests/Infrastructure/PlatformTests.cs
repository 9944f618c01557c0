using System.Net;
using CitizenSensor.Infrastructure;

namespace CitizenSensor.Tests.Infrastructure;

/// <summary>Health, OpenAPI, languages, security headers and the one definition of a day.</summary>
public sealed class PlatformTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Healthz_reports_the_database_it_reached()
    {
        var health = await (await app.CreateClient().GetAsync("/healthz", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("Healthy", health.Str("status"));
        var expected = app.Database.Provider == CitizenSensor.Data.DatabaseProvider.Postgres ? "Npgsql" : "Sqlite";
        Assert.Contains(expected, health.GetProperty("checks").GetProperty("database").Str("description"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_public_api()
    {
        var document = await (await app.CreateClient().GetAsync("/openapi/v1.json", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/units", "/api/v1/units/{code}", "/api/v1/units/resolve", "/api/v1/units/match", "/api/v1/auth/tokens", "/api/v1/staff/me" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} missing from OpenAPI");
        }

        var reference = await app.CreateClient().GetAsync("/scalar/v1", Cancel);
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
    }

    [Fact]
    public async Task Pages_are_Vietnamese_first_and_English_on_request()
    {
        var client = app.CreateClient();

        var vietnamese = await client.GetStringAsync("/", Cancel);
        Assert.Contains("<html lang=\"vi\">", vietnamese, StringComparison.Ordinal);
        Assert.Contains("Cổng phản ánh của thành phố", vietnamese, StringComparison.Ordinal);

        var switched = await app.CreateClient().GetAsync("/culture/en?returnUrl=/units", Cancel);
        Assert.Equal(HttpStatusCode.OK, switched.StatusCode); // followed the redirect
        var english = await app.CreateClient().GetStringAsync("/?culture=en", Cancel);
        Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
        Assert.Contains("The city&#x27;s reporting portal", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_language_switch_only_returns_to_local_pages()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/culture/en?returnUrl=https://evil.example/", Cancel);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=c%3Den", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Responses_carry_security_headers()
    {
        var response = await app.CreateClient().GetAsync("/", Cancel);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_api_routes_are_404_problems()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/nothing-here", Cancel);

        await response.ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("2021-08-20T16:59:59Z", "2021-08-20")]
    [InlineData("2021-08-20T17:00:00Z", "2021-08-21")]
    [InlineData("2021-12-31T23:30:00+07:00", "2021-12-31")]
    public void A_day_is_a_Ho_Chi_Minh_City_day(string instant, string day)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), CityTime.DayOf(at));
        Assert.Equal(TimeSpan.FromHours(7), CityTime.ToLocal(CityTime.StartOfDay(CityTime.DayOf(at))).Offset);
        Assert.True(CityTime.StartOfDay(CityTime.DayOf(at)) <= at && at < CityTime.StartOfDay(CityTime.DayOf(at).AddDays(1)));
    }
}
