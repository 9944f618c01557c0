using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Declarations;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Venues;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Declarations;

/// <summary>The figures under both day definitions, people counted once a day, by source and district; retention keeps them.</summary>
public sealed class DeclarationFiguresTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Figures_count_people_once_a_reporting_day_by_source_and_district_under_both_day_definitions()
    {
        var client = app.CreateClient();
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var key = (await (await admin.PostAsJsonAsync("/api/v1/declaration-partners", new { name = "Bluezone", source = "bluezone" }, Cancel)).ReadJsonAsync(HttpStatusCode.Created)).Str("key");
        string[] p = [.. Enumerable.Range(0, 5).Select(_ => VenueClient.NewPhone())];

        // 20/8/2021, 08:00 in Hà Nội.
        await client.DeclaredAsync(DeclarationClient.Valid(p[0]));
        await client.DeclaredAsync(DeclarationClient.Valid(p[1], symptoms: ["cough"]));
        await client.DeclaredAsync(DeclarationClient.Valid(p[2], ward: DeclarationClient.OtherWard, symptoms: ["fever"]), partnerKey: key);
        app.Time.Advance(TimeSpan.FromMinutes(30));
        await client.DeclaredAsync(DeclarationClient.Valid(p[1], symptoms: ["cough"]));
        // 13:00: after noon, so the next reporting day under "noon to noon".
        app.Time.Advance(TimeSpan.FromHours(4.5));
        await client.DeclaredAsync(DeclarationClient.Valid(p[3], exposures: ["contact-symptomatic"]));
        await client.DeclaredAsync(DeclarationClient.Valid(p[0], symptoms: ["fever"]));

        async Task<JsonElement> Figures(HttpClient who, string query) =>
            await (await who.GetAsync("/api/v1/stats/declarations?" + query, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        var calendar = await Figures(admin, "date=2021-08-20&day=calendar");
        Assert.Equal("calendar", calendar.Str("reportingDay"));
        Assert.Equal(4, calendar.GetProperty("onDay").GetInt32());
        Assert.Equal(4, calendar.GetProperty("total").GetInt64());
        Assert.Equal(6, calendar.GetProperty("submissions").GetInt32());
        Assert.Equal(4, calendar.GetProperty("deltaVsPreviousDay").GetInt32());
        var symptomatic = calendar.GetProperty("symptomatic");
        Assert.Equal(3, symptomatic.GetProperty("onDay").GetInt32());
        Assert.Equal(2, symptomatic.GetProperty("bySource").GetProperty("app").GetInt32());
        Assert.Equal(1, symptomatic.GetProperty("bySource").GetProperty("bluezone").GetInt32());
        Assert.Equal(1, calendar.GetProperty("exposures").GetProperty("onDay").GetInt32());
        var baDinh = calendar.GetProperty("byDistrict").EnumerateArray().Single(d => d.Str("code") == DeclarationClient.District);
        Assert.Equal(3, baDinh.GetProperty("onDay").GetInt32());
        Assert.Equal(2, baDinh.GetProperty("symptomatic").GetInt32());
        Assert.Equal(DeclarationClient.District, calendar.GetProperty("byDistrict")[0].Str("code")); // sorted, most first

        var noon20 = await Figures(admin, "date=2021-08-20&day=noon-to-noon");
        Assert.Equal(3, noon20.GetProperty("onDay").GetInt32());
        Assert.Equal(2, noon20.GetProperty("symptomatic").GetProperty("onDay").GetInt32());
        Assert.Equal(DateTimeOffset.Parse("2021-08-19T12:00:00+07:00", CultureInfo.InvariantCulture), noon20.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse("2021-08-20T12:00:00+07:00", CultureInfo.InvariantCulture), noon20.GetProperty("to").GetDateTimeOffset());
        var noon21 = await Figures(admin, "date=2021-08-21&day=noon-to-noon");
        Assert.Equal(2, noon21.GetProperty("onDay").GetInt32());
        Assert.Equal(5, noon21.GetProperty("total").GetInt64());
        Assert.Equal(-1, noon21.GetProperty("deltaVsPreviousDay").GetInt32());
        Assert.Equal(1, noon21.GetProperty("symptomatic").GetProperty("onDay").GetInt32());
        Assert.Equal(-1, noon21.GetProperty("symptomatic").GetProperty("deltaVsPreviousDay").GetInt32());
        Assert.Equal(1, noon21.GetProperty("exposures").GetProperty("onDay").GetInt32());

        // The next calendar day: one person; the change against the day before; the cumulative total.
        app.Time.Advance(TimeSpan.FromHours(20));
        await client.DeclaredAsync(DeclarationClient.Valid(p[4]));
        var next = await Figures(admin, "date=2021-08-21&day=calendar");
        Assert.Equal(1, next.GetProperty("onDay").GetInt32());
        Assert.Equal(-3, next.GetProperty("deltaVsPreviousDay").GetInt32());
        Assert.Equal(5, next.GetProperty("total").GetInt64());
        Assert.Equal(-3, next.GetProperty("symptomatic").GetProperty("deltaVsPreviousDay").GetInt32());
        var series = next.GetProperty("last30Days").EnumerateArray().ToList();
        Assert.Equal(30, series.Count);
        Assert.Equal(4, series[^2].GetProperty("onDay").GetInt32());

        // Scoped to a unit, and readable (counts only) by any staff role of that unit.
        var (viewer, _) = await app.SignedInAsync(StaffRoles.Viewer, DeclarationClient.District);
        var district = await Figures(viewer, "date=2021-08-20&day=calendar");
        Assert.Equal(3, district.GetProperty("onDay").GetInt32());
        Assert.Equal(DeclarationClient.District, district.GetProperty("unit").Str("code"));
        var ward = await Figures(admin, $"date=2021-08-20&day=calendar&unit={DeclarationClient.OtherWard}");
        Assert.Equal(1, ward.GetProperty("onDay").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/v1/stats/declarations?unit={DeclarationClient.OtherWard}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/stats/declarations", Cancel)).StatusCode);
        var bad = await (await admin.GetAsync("/api/v1/stats/declarations?date=2030-01-01&day=weekly", Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("date", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("day", out _));

        // Retention: after 28 days the declarations and per-person days go, the figures stay.
        var retention = app.Services.GetRequiredService<DeclarationRetention>();
        Assert.Equal(0, await retention.RunOnceAsync(Cancel));
        app.Time.Advance(TimeSpan.FromDays(28));
        Assert.Equal(6, await retention.RunOnceAsync(Cancel));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
            Assert.Equal(1, await db.Set<Declaration>().CountAsync(Cancel));
            Assert.DoesNotContain(await db.Set<DeclarationPersonDay>().Select(d => d.Day).ToListAsync(Cancel), d => d < new DateOnly(2021, 8, 21));
        }

        Assert.Equal(calendar.GetRawText(), (await Figures(admin, "date=2021-08-20&day=calendar")).GetRawText());
        // The person of 21/8 09:00 joined the noon-to-noon day of 21/8 after it was read above.
        Assert.Equal(3, (await Figures(admin, "date=2021-08-21&day=noon-to-noon")).GetProperty("onDay").GetInt32());
    }
}
