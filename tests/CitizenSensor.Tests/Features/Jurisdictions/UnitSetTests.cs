using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Declarations;
using CitizenSensor.Tests.Features.Reports;
using CitizenSensor.Tests.Features.Venues;

namespace CitizenSensor.Tests.Features.Jurisdictions;

/// <summary>
/// The two shipped unit sets (ADR 0011): the 2021 units until 30 June 2025, the units of the reform from 1 July 2025.
/// Every look-up answers in the units of the day it is asked about.
/// </summary>
public sealed class UnitSetTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private const string In2021 = "2021-09-23";
    private const string Today = "2026-12-07";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<JsonElement> GetAsync(string url, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await app.CreateClient().GetAsync(url, Cancel)).ReadJsonAsync(expected);

    [Fact]
    public async Task Both_sets_are_shipped_with_their_dates()
    {
        var sets = await GetAsync("/api/v1/units/sets");
        var old = sets.EnumerateArray().Single(s => s.Str("id") == "2021");
        var current = sets.EnumerateArray().Single(s => s.Str("id") == "2025");
        Assert.Equal("2025-06-30", old.Str("validTo"));
        Assert.Equal("2025-07-01", current.Str("validFrom"));
        Assert.Equal(JsonValueKind.Null, current.GetProperty("validTo").ValueKind);

        var hcmc = await GetAsync("/api/v1/units/79?set=2025");
        Assert.Equal(168, hcmc.GetProperty("children").GetArrayLength());
        var hanoi = await GetAsync("/api/v1/units/01?set=2025");
        Assert.Equal(126, hanoi.GetProperty("children").GetArrayLength());
    }

    [Theory]
    [InlineData(10.7798, 106.6990, "760", "Quận 1", "26740@2025", "Phường Sài Gòn")] // Nhà thờ Đức Bà
    [InlineData(10.7725, 106.6980, "760", "Quận 1", "26743@2025", "Phường Bến Thành")] // Chợ Bến Thành
    [InlineData(21.0288, 105.8525, "002", "Quận Hoàn Kiếm", "00070@2025", "Phường Hoàn Kiếm")] // Hồ Gươm
    public async Task A_point_resolves_to_the_2021_district_then_and_to_the_commune_today(double lat, double lng, string district, string districtName, string commune, string communeName)
    {
        var point = FormattableString.Invariant($"lat={lat}&lng={lng}");
        var then = await GetAsync($"/api/v1/units/resolve?{point}&at={In2021}");
        Assert.Equal("2021", then.GetProperty("set").Str("id"));
        Assert.Equal(district, then.GetProperty("unit").Str("code"));
        Assert.Equal(districtName, then.GetProperty("unit").Str("name"));
        Assert.Equal("Quận", then.GetProperty("units")[1].Str("type"));

        var now = await GetAsync($"/api/v1/units/resolve?{point}&at={Today}");
        Assert.Equal("2025", now.GetProperty("set").Str("id"));
        Assert.Equal(commune, now.GetProperty("unit").Str("code"));
        Assert.Equal(communeName, now.GetProperty("unit").Str("name"));
        var units = now.GetProperty("units");
        Assert.Equal(2, units.GetArrayLength()); // the city, then the commune: no district
        Assert.Equal(1, units[0].GetProperty("level").GetInt32());
        Assert.Equal("Phường", units[1].Str("type"));
        Assert.Equal(commune.Split('@')[0], units[1].Str("gsoCode"));
    }

    [Fact]
    public async Task A_code_names_the_unit_of_the_day_and_a_key_one_unit()
    {
        var benNghe = await GetAsync($"/api/v1/units/26740?at={In2021}");
        Assert.Equal("Phường Bến Nghé", benNghe.Str("name"));
        Assert.Contains(benNghe.GetProperty("successors").EnumerateArray(), s => s.Str("code") == "26740@2025");

        var saiGon = await GetAsync($"/api/v1/units/26740?at={Today}");
        Assert.Equal("Phường Sài Gòn", saiGon.Str("name"));
        Assert.Equal("26740@2025", saiGon.Str("code"));
        Assert.Equal("26740", saiGon.Str("gsoCode"));
        Assert.Equal("2025", saiGon.GetProperty("set").Str("id"));
        Assert.Contains(saiGon.GetProperty("predecessors").EnumerateArray(), p => p.Str("name") == "Phường Bến Nghé");
        Assert.Equal("Phường Sài Gòn", (await GetAsync("/api/v1/units/26740@2025")).Str("name"));

        // A unit the reform abolished is still found by its code, with its set's dates.
        var quan1 = await GetAsync($"/api/v1/units/760?at={Today}");
        Assert.Equal("Quận 1", quan1.Str("name"));
        Assert.Equal("2025-06-30", quan1.GetProperty("set").Str("validTo"));

        var found = await GetAsync($"/api/v1/units?q=sai%20gon&at={Today}");
        Assert.Contains(found.EnumerateArray(), u => u.Str("code") == "26740@2025");
        Assert.DoesNotContain(found.EnumerateArray(), u => u.Str("set") == "2021");

        await (await app.CreateClient().GetAsync("/api/v1/units/resolve?lat=10.78&lng=106.7&at=23-09-2021", Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        await (await app.CreateClient().GetAsync("/api/v1/units?q=x&set=1999", Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("phường Trúc Bạch, quận Ba Đình, Hà Nội", "00004@2025", "00004")]
    [InlineData("P.12, Q. Gò Vấp", "26882@2025", "26881")]
    [InlineData("phuong ben nghe quan 1", "26740@2025", "26740")]
    [InlineData("12 Lê Thánh Tôn, Phường 1, Quận 3, TP.HCM", "27154@2025", "27160")]
    public async Task An_address_written_the_old_way_matches_todays_commune_and_names_the_old_ward(string address, string commune, string oldWard)
    {
        var match = await GetAsync($"/api/v1/units/match?at={Today}&address=" + Uri.EscapeDataString(address));
        Assert.Equal(commune, match.GetProperty("unit").Str("code"));
        Assert.Equal(oldWard, match.GetProperty("named").Str("code"));
        Assert.Equal("2021", match.GetProperty("named").Str("set"));
    }

    [Fact]
    public async Task An_address_in_todays_units_matches_its_commune_and_a_split_old_ward_is_not_guessed()
    {
        var today = await GetAsync($"/api/v1/units/match?at={Today}&address=" + Uri.EscapeDataString("số 1 Công xã Paris, phường Sài Gòn, TP Hồ Chí Minh"));
        Assert.Equal("26740@2025", today.GetProperty("unit").Str("code"));
        Assert.Equal(JsonValueKind.Null, today.GetProperty("named").ValueKind);

        // Phường Đa Kao (Quận 1) went partly into Phường Sài Gòn and partly into Phường Tân Định.
        var split = await (await app.CreateClient().GetAsync($"/api/v1/units/match?at={Today}&address=" + Uri.EscapeDataString("phường Đa Kao, quận 1"), Cancel))
            .ReadProblemAsync(HttpStatusCode.NotFound);
        var candidates = split.GetProperty("candidates").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("Phường Sài Gòn", candidates);
        Assert.Contains("Phường Tân Định", candidates);
        Assert.Equal("Phường Đa Kao", split.GetProperty("named").Str("name"));
    }

    [Theory]
    [InlineData("402 Phạm Văn Đồng, Phường Thanh Xuân", "00367@2025")] // not the old Phường Thạnh Xuân (Quận 12), folded alike
    [InlineData("624 Nguyễn Văn Linh, Xã Phước Thành, TP. Hồ Chí Minh", "25864@2025")] // not the old Xã Phước Thạnh (Củ Chi)
    [InlineData("439 Láng Hạ, Phường Sơn Tây, Thành phố Hà Nội", "09574@2025")] // not the old Thị xã Sơn Tây
    [InlineData("225 Hàng Bài, Phường Văn Miếu - Quốc Tử Giám, Hà Nội", "00226@2025")] // a name with a dash in it
    [InlineData("26 dien bien phu dac khu con dao tp. ho chi minh", "26732@2025")]
    [InlineData("435 Huỳnh Tấn Phát, Phường Tân Hưng Thuận, Quận 12, TP.HCM", "26791@2025")] // not today's Phường Tân Hưng
    public async Task A_commune_of_today_is_not_taken_for_an_old_unit_that_looks_like_it(string address, string commune)
    {
        var match = await GetAsync($"/api/v1/units/match?at={Today}&address=" + Uri.EscapeDataString(address));
        Assert.Equal(commune, match.GetProperty("unit").Str("code"));
    }

    [Theory]
    [InlineData("245 Tố Hữu, Phường Quan Hoa, Quận Cầu Giấy, TP Hà Nội", "Phường Quan Hoa")] // split; "Cầu Giấy" was the district
    [InlineData("Quận Gò Vấp, TP.HCM", "Quận Gò Vấp")] // now in several communes, one of them Phường Gò Vấp
    [InlineData("Huyện Củ Chi", "Huyện Củ Chi")]
    public async Task An_old_unit_whose_name_a_commune_now_bears_is_not_that_commune_when_it_was_split(string address, string named)
    {
        var problem = await (await app.CreateClient().GetAsync($"/api/v1/units/match?at={Today}&address=" + Uri.EscapeDataString(address), Cancel))
            .ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(named, problem.GetProperty("named").Str("name"));
        Assert.True(problem.GetProperty("candidates").GetArrayLength() > 1);
    }

    [Fact]
    public async Task The_units_browser_shows_both_sets_with_their_dates()
    {
        var html = await app.CreateClient().GetStringAsync("/units/26740?set=2025", Cancel);
        Assert.Contains("Phường Sài Gòn", html, StringComparison.Ordinal);
        Assert.Contains("từ 01/07/2025", html, StringComparison.Ordinal);
        Assert.Contains("Phường Bến Nghé", html, StringComparison.Ordinal); // formed from

        var old = await app.CreateClient().GetStringAsync("/units/760", Cancel);
        Assert.Contains("đến 30/06/2025", old, StringComparison.Ordinal);

        var search = await app.CreateClient().GetStringAsync("/units?q=sai+gon&set=2025", Cancel);
        Assert.Contains("/units/26740@2025", search, StringComparison.Ordinal);
    }
}

/// <summary>Records across the reform: each placed in the units of its day, and each unit's officers see theirs.</summary>
public sealed class ReformRecordsTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private const string Quan1 = "760";
    private const string SaiGon = "26740@2025";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_2021_report_keeps_its_district_a_report_of_today_goes_to_the_commune_and_each_officer_sees_theirs()
    {
        var client = app.CreateClient();
        const string Description = "Quán karaoke mở cửa quá giờ, tụ tập đông người, không đeo khẩu trang";
        var old = await client.SubmitAsync(new { description = Description, address = "phường Bến Nghé, quận 1" });
        Assert.Equal(Quan1, (await client.WaitProcessedAsync(old)).GetProperty("unit").Str("code"));
        var quan1Officer = await app.CreateStaffAsync(StaffRoles.UnitOfficer, Quan1); // an account made before the reform keeps its unit

        app.Time.SetUtcNow(new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero));
        var quan1 = await app.ClientWithTokenAsync(quan1Officer.Email!);
        var byAddress = await client.SubmitAsync(new { description = Description, address = "phường Bến Nghé, quận 1" });
        var byPoint = await client.SubmitAsync(new { description = Description, lat = 10.7798, lng = 106.6990 });
        Assert.Equal(SaiGon, (await client.WaitProcessedAsync(byAddress)).GetProperty("unit").Str("code"));
        Assert.Equal(SaiGon, (await client.WaitProcessedAsync(byPoint)).GetProperty("unit").Str("code"));
        Assert.Equal(Quan1, (await client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/{old}", Cancel)).GetProperty("unit").Str("code"));

        var (saiGon, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, SaiGon);
        var quan1Queue = (await (await quan1.GetAsync("/api/v1/staff/reports", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray().Select(r => r.Str("code")).ToList();
        var saiGonQueue = (await (await saiGon.GetAsync("/api/v1/staff/reports", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray().Select(r => r.Str("code")).ToList();
        Assert.Contains(old, quan1Queue);
        Assert.DoesNotContain(byPoint, quan1Queue);
        Assert.Contains(byPoint, saiGonQueue);
        Assert.Contains(byAddress, saiGonQueue);
        Assert.DoesNotContain(old, saiGonQueue);
        await (await saiGon.GetAsync($"/api/v1/staff/reports/{old}", Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);

        // New accounts belong to today's units.
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var account = new { email = "moi@q1.test.citizensensor.vn", displayName = "Cán bộ mới", password = "Mot-mat-khau-dai", role = StaffRoles.UnitOfficer, unitCode = Quan1 };
        var refused = await (await admin.PostAsJsonAsync("/api/v1/staff/users", account, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("set 2021", refused.GetProperty("errors").GetProperty("unitCode")[0].GetString(), StringComparison.Ordinal);
        await (await admin.PostAsJsonAsync("/api/v1/staff/users", account with { unitCode = SaiGon }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);

        // The triage desk routes a report to a commune: the commune handles it, with no ward below it.
        var (desk, _) = await app.SignedInAsync(StaffRoles.CityTriage, "79@2025");
        var unplaced = await client.SubmitAsync(new { description = Description, address = "chợ tự phát đầu hẻm" });
        Assert.Equal("needs-triage", (await client.WaitProcessedAsync(unplaced)).Str("status"));
        var routed = await (await desk.PostAsJsonAsync($"/api/v1/staff/reports/{unplaced}/route", new { unitCode = "26743@2025" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("26743@2025", routed.GetProperty("unit").Str("code"));

        // Declarations and venues of today belong to communes, and the figures count them there.
        var declared = await client.DeclareAsync(DeclarationClient.Valid(ward: "26740"));
        Assert.Equal(HttpStatusCode.Created, declared.StatusCode);
        await (await client.DeclareAsync(DeclarationClient.Valid(ward: "26734"))).ReadProblemAsync(HttpStatusCode.BadRequest); // Phường Tân Định's 2021 code is no commune today

        var venue = (await client.RegisterAsync(VenueClient.NewVenue(ward: "26740"))).Str("code");
        await (await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = venue, phone = VenueClient.NewPhone(), at = app.Time.GetUtcNow() }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        var city = await (await admin.GetAsync("/api/v1/stats/venues?date=2026-12-07&unit=79@2025", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, city.GetProperty("scansByDistrict").EnumerateArray().Single(d => d.Str("code") == SaiGon).GetProperty("scans").GetInt32());
        var commune = await (await admin.GetAsync($"/api/v1/stats/venues?date=2026-12-07&unit={SaiGon}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, commune.GetProperty("totalVenues").GetInt32());
    }
}

/// <summary>Figures of 2021 reports shown in today's communes (issue 15, point 3): by the report's point, else by the mapping; a split ward without a point is counted apart, never guessed.</summary>
public sealed class ReformFiguresTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Report_figures_of_2021_can_be_counted_in_todays_communes()
    {
        var client = app.CreateClient();
        const string Description = "Quán karaoke mở cửa quá giờ, tụ tập đông người, không đeo khẩu trang";
        var byPoint = await client.SubmitAsync(new { description = Description, lat = 10.7798, lng = 106.6990 }); // Phường Bến Nghé then, Phường Sài Gòn now
        var byAddress = await client.SubmitAsync(new { description = Description, address = "12 Lê Lợi, phường Bến Thành, quận 1" });
        var split = await client.SubmitAsync(new { description = Description, address = "hẻm 5 Đinh Tiên Hoàng, phường Đa Kao, quận 1" });
        foreach (var code in new[] { byPoint, byAddress, split })
        {
            Assert.Equal("760", (await client.WaitProcessedAsync(code)).GetProperty("unit").Str("code"));
        }

        var day = CitizenSensor.Infrastructure.CityTime.DayOf(app.Time.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var asPlaced = await (await admin.GetAsync($"/api/v1/stats/reports?from={day}&to={day}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, Received(asPlaced, "760"));

        var today = await (await admin.GetAsync($"/api/v1/stats/reports?from={day}&to={day}&in=2025", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, Received(today, "26740@2025"));
        Assert.Equal(1, Received(today, "26743@2025"));
        Assert.Equal(1, Received(today, "unsettled"));
        Assert.Equal(0, Received(today, "760"));
        Assert.Equal(3, today.GetProperty("received").GetInt32());
        Assert.Contains(today.GetProperty("ratesByUnit").EnumerateArray(), r => r.Str("key") == "26743@2025");

        var csv = await (await admin.GetAsync($"/api/v1/stats/reports/export?format=csv&from={day}&to={day}&in=2025", Cancel)).Content.ReadAsStringAsync(Cancel);
        Assert.Contains("Đơn vị theo bộ 2025", csv, StringComparison.Ordinal);
        Assert.Contains("Phường Bến Thành", csv, StringComparison.Ordinal);

        var page = await admin.GetStringAsync($"/staff/reports/stats?from={day}&to={day}&in=2025", Cancel);
        Assert.Contains("Phường Sài Gòn", page, StringComparison.Ordinal);
        Assert.Contains("Chưa xác định được (đơn vị cũ đã chia tách)", page, StringComparison.Ordinal);
        // The unit picker offers both sets, each with its dates.
        Assert.Matches(@"<optgroup label=""[^""]+ \(từ 01/07/2025\)"">", page);
        Assert.Matches(@"<optgroup label=""[^""]+ \(đến 30/06/2025\)"">", page);
        var queue = await admin.GetStringAsync("/staff/reports", Cancel);
        Assert.Matches(@"<optgroup label=""[^""]+ \(từ 01/07/2025\)"">\s*<option value=""[^""]+"">", queue);

        var refused = await (await admin.GetAsync("/api/v1/stats/reports?in=1999", Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("1999", refused.GetProperty("errors").GetProperty("in")[0].GetString(), StringComparison.Ordinal);
    }

    private static int Received(JsonElement stats, string key) =>
        stats.GetProperty("byUnit").EnumerateArray().Where(u => u.Str("key") == key).Select(u => u.GetProperty("received").GetInt32()).SingleOrDefault();
}
