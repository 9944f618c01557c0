using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Venues;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Venues;

/// <summary>The command's venue figures over HTTP: on a day and over the last 30, by district, per unit, after retention.</summary>
public sealed class VenueFiguresTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const string BaDinh = "001";
    private const string HoanKiem = "002";

    private static async Task<JsonElement> FiguresAsync(HttpClient client, string query) =>
        await (await client.GetAsync("/api/v1/stats/venues?" + query, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

    private static async Task CheckInAsync(HttpClient client, string code, string phone, DateTimeOffset at) =>
        await (await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = code, phone, at }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);

    private static int DistrictValue(JsonElement list, string code, string property) =>
        list.EnumerateArray().Single(d => d.Str("code") == code).GetProperty(property).GetInt32();

    private static JsonElement Day(JsonElement figures, string date) =>
        figures.GetProperty("last30Days").EnumerateArray().Single(d => d.Str("date") == date);

    [Fact]
    public async Task Figures_count_venues_scans_and_silent_wards_per_city_day_and_survive_retention()
    {
        var client = app.CreateClient();
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var before = await FiguresAsync(admin, "date=2021-08-20&unit=01");
        var hanoiWards = before.GetProperty("wardsWithoutScansCount").GetInt32();
        Assert.True(hanoiWards > 500, $"Hà Nội has {hanoiWards} wards without scans before any check-in");
        Assert.Equal(0, before.GetProperty("totalVenues").GetInt32());

        // 20/8 (the clock starts at 08:00 city time): two venues, in Ba Đình and Hoàn Kiếm; scans on the 20th and the 17th.
        var t0 = app.Time.GetUtcNow();
        var a = (await client.RegisterAsync(VenueClient.NewVenue(ward: VenueClient.Ward))).Str("code");
        var b = (await client.RegisterAsync(VenueClient.NewVenue(ward: VenueClient.OtherDistrictWard))).Str("code");
        foreach (var phone in new[] { VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone() })
        {
            await CheckInAsync(client, a, phone, t0);
        }

        var regular = VenueClient.NewPhone();
        await CheckInAsync(client, a, regular, t0); // the same person twice within a minute counts once
        await CheckInAsync(client, a, regular, t0);
        await CheckInAsync(client, b, VenueClient.NewPhone(), t0.AddMinutes(-10));
        await CheckInAsync(client, a, VenueClient.NewPhone(), t0.AddDays(-3));
        // 00:30 on the 20th in the city is 17:30 on the 19th in UTC: it counts for the 20th.
        await CheckInAsync(client, b, VenueClient.NewPhone(), new DateTimeOffset(2021, 8, 20, 0, 30, 0, TimeSpan.FromHours(7)));

        var day = await FiguresAsync(admin, "date=2021-08-20&unit=01");
        Assert.Equal("2021-08-20", day.Str("date"));
        Assert.Equal("01", day.GetProperty("unit").Str("code"));
        Assert.Equal(2, day.GetProperty("newVenues").GetInt32());
        Assert.Equal(2, day.GetProperty("totalVenues").GetInt32());
        Assert.Equal(2, day.GetProperty("activeVenues7d").GetInt32());
        Assert.Equal(6, day.GetProperty("scans").GetInt32());
        var byDistrict = day.GetProperty("scansByDistrict");
        Assert.Equal(BaDinh, byDistrict[0].Str("code"));
        Assert.Equal(4, byDistrict[0].GetProperty("scans").GetInt32());
        Assert.Equal(HoanKiem, byDistrict[1].Str("code"));
        Assert.Equal(2, byDistrict[1].GetProperty("scans").GetInt32());
        Assert.Equal(0, byDistrict[2].GetProperty("scans").GetInt32());
        Assert.Equal(30, byDistrict.GetArrayLength()); // every district of Hà Nội, for the map
        Assert.Equal(1, DistrictValue(day.GetProperty("newVenuesByDistrict7d"), BaDinh, "newVenues"));
        Assert.Equal(hanoiWards - 2, day.GetProperty("wardsWithoutScansCount").GetInt32());
        var silent = day.GetProperty("wardsWithoutScans");
        Assert.Equal(hanoiWards - 2, silent.EnumerateArray().Sum(g => g.GetProperty("wards").GetArrayLength()));
        var baDinhSilent = silent.EnumerateArray().Single(g => g.Str("code") == BaDinh).GetProperty("wards");
        Assert.DoesNotContain(baDinhSilent.EnumerateArray(), w => w.Str("code") == VenueClient.Ward);
        Assert.Contains(baDinhSilent.EnumerateArray(), w => w.Str("name") == "Phường Trúc Bạch");
        Assert.Equal(30, day.GetProperty("last30Days").GetArrayLength());
        Assert.Equal(1, Day(day, "2021-08-17").GetProperty("scans").GetInt32());
        Assert.Equal(0, Day(day, "2021-08-18").GetProperty("scans").GetInt32());
        Assert.Equal(2, Day(day, "2021-08-20").GetProperty("newVenues").GetInt32());
        Assert.Equal("2021-07-22", day.GetProperty("last30Days")[0].Str("date"));

        // The 17th: no venue existed yet (the check-in was back-dated), one scan.
        var seventeenth = await FiguresAsync(admin, "date=2021-08-17&unit=01");
        Assert.Equal(0, seventeenth.GetProperty("totalVenues").GetInt32());
        Assert.Equal(1, seventeenth.GetProperty("scans").GetInt32());
        Assert.Equal(1, seventeenth.GetProperty("activeVenues7d").GetInt32());

        // The 21st: a third venue opens in Ba Đình, the one in Hoàn Kiếm closes.
        app.Time.Advance(TimeSpan.FromDays(1));
        var c = (await client.RegisterAsync(VenueClient.NewVenue(ward: VenueClient.Ward))).Str("code");
        await CheckInAsync(client, c, VenueClient.NewPhone(), app.Time.GetUtcNow());
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, HoanKiem);
        (await officer.PostAsync($"/api/v1/staff/venues/{b}/close", null, Cancel)).EnsureSuccessStatusCode();

        var next = await FiguresAsync(admin, "unit=01"); // today by default
        Assert.Equal("2021-08-21", next.Str("date"));
        Assert.Equal(1, next.GetProperty("newVenues").GetInt32());
        Assert.Equal(2, next.GetProperty("totalVenues").GetInt32()); // a and c: b closed on the day
        Assert.Equal(3, next.GetProperty("activeVenues7d").GetInt32());
        Assert.Equal(1, next.GetProperty("scans").GetInt32());
        Assert.Equal(2, DistrictValue(next.GetProperty("newVenuesByDistrict7d"), BaDinh, "newVenues"));
        Assert.Equal(2, (await FiguresAsync(admin, "date=2021-08-20&unit=01")).GetProperty("totalVenues").GetInt32()); // b was open all of the 20th

        // A district officer sees their district by default, and a ward of it; not another district.
        var (baDinh, _) = await app.SignedInAsync(StaffRoles.Viewer, BaDinh);
        var district = await FiguresAsync(baDinh, "date=2021-08-20");
        Assert.Equal(BaDinh, district.GetProperty("unit").Str("code"));
        Assert.Equal(4, district.GetProperty("scans").GetInt32());
        Assert.Equal(1, district.GetProperty("totalVenues").GetInt32());
        Assert.Equal(1, district.GetProperty("scansByDistrict").GetArrayLength());
        var ward = await FiguresAsync(baDinh, $"date=2021-08-20&unit={VenueClient.Ward}");
        Assert.Equal(4, ward.GetProperty("scans").GetInt32());
        Assert.Equal(0, ward.GetProperty("wardsWithoutScansCount").GetInt32());
        var other = await (await baDinh.GetAsync($"/api/v1/stats/venues?unit={HoanKiem}", Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(HoanKiem, other.Str("detail"), StringComparison.Ordinal);

        // The figures come from the daily counts: deleting the check-ins (retention) leaves them as they were.
        app.Time.Advance(TimeSpan.FromDays(25));
        Assert.True(await app.Services.GetRequiredService<CheckInRetention>().RunOnceAsync(Cancel) >= 7);
        var after = await FiguresAsync(admin, "date=2021-08-20&unit=01");
        Assert.Equal(6, after.GetProperty("scans").GetInt32());
        Assert.Equal(2, after.GetProperty("activeVenues7d").GetInt32());
    }

    [Fact]
    public async Task Figures_are_for_staff_and_refuse_bad_dates_and_unknown_units()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/stats/venues", Cancel)).StatusCode);
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var everywhere = await FiguresAsync(admin, "");
        Assert.Equal(JsonValueKind.Null, everywhere.GetProperty("unit").ValueKind);
        Assert.True(everywhere.GetProperty("scansByDistrict").GetArrayLength() > 30); // Hà Nội's and Hồ Chí Minh City's districts

        foreach (var date in new[] { "2021-13-01", "20-08-2021", "yesterday", app.Time.GetUtcNow().AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) })
        {
            var problem = await (await admin.GetAsync($"/api/v1/stats/venues?date={date}", Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("date", out _), date);
        }

        var unknown = await (await admin.GetAsync("/api/v1/stats/venues?unit=99999", Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("99999", unknown.Str("detail"), StringComparison.Ordinal);
    }
}
