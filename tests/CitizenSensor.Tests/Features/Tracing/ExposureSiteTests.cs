using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Tracing;
using CitizenSensor.Infrastructure;
using CitizenSensor.Tests.Features.Declarations;
using CitizenSensor.Tests.Features.Venues;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Tracing;

/// <summary>The case's own declarations as leads: the places and exposures it declared within the look-back, with venues that may be those places.</summary>
public sealed class CaseLeadTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Declared_places_and_exposures_are_leads_with_matching_venues_and_older_places_are_not()
    {
        var f0 = VenueClient.NewPhone();
        var market = (await app.CreateClient().RegisterAsync(VenueClient.NewVenue(name: "Chợ Long Biên", ward: Timeline.Ward))).Str("code");
        var declaration = DeclarationClient.Valid(f0, name: "Trần Thị Bình", exposures: ["contact-confirmed"]);
        var day = CityTime.DayOf(app.Time.GetUtcNow());
        declaration["placesVisited"] = new[]
        {
            new { place = "cho long bien", date = day.AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
            new { place = "Nhà văn hoá tổ 5", date = day.AddDays(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
        };
        await app.CreateClient().DeclaredAsync(declaration);
        var other = DeclarationClient.Valid(VenueClient.NewPhone(), name: "Người khác");
        other["placesVisited"] = new[] { new { place = "Bến xe Mỹ Đình", date = day.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) } };
        await app.CreateClient().DeclaredAsync(other);

        var (officer, id) = await app.OpenCaseAsync(f0);
        var leads = await (await officer.GetAsync($"/api/v1/tracing/cases/{id}/leads", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, leads.GetProperty("declarations").GetInt32());
        var places = leads.GetProperty("places").EnumerateArray().ToList();
        Assert.Equal(["cho long bien", "Nhà văn hoá tổ 5"], places.Select(p => p.Str("place")).ToList()); // the other person's place is no lead
        Assert.Equal(market, places[0].GetProperty("venues").EnumerateArray().Single().Str("code")); // "cho long bien" finds Chợ Long Biên
        Assert.Empty(places[1].GetProperty("venues").EnumerateArray());
        var exposure = leads.GetProperty("exposures").EnumerateArray().Single();
        Assert.Equal("contact-confirmed", exposure.Str("code"));
        Assert.Equal("Tiếp xúc với ca bệnh xác định (F0)", exposure.Str("vi"));
        Assert.DoesNotContain(f0, leads.GetRawText(), StringComparison.Ordinal);

        var (elsewhere, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, VenueClient.OtherDistrictWard);
        await (await elsewhere.GetAsync($"/api/v1/tracing/cases/{id}/leads", Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
        var (agent, _) = await app.SignedInAsync(StaffRoles.CallAgent, Timeline.Ward);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync($"/api/v1/tracing/cases/{id}/leads", Cancel)).StatusCode);
    }
}

/// <summary>
/// Places of exposure: each trace keeps the case's stays as sites, hotspots by unit for staff, clusters flagged under
/// the rules, and a public list (JSON and CSV) of what an officer published: venue, window, advice, never a person.
/// </summary>
public sealed class ExposureSiteTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sites_are_kept_clusters_flagged_and_only_published_windows_reach_the_public_list_merged()
    {
        var t = app.Time.GetUtcNow().AddDays(-2);
        var (shared, quiet) = (await app.VenueAsync(), await app.VenueAsync());
        var (first, second, contact) = (VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone());
        await app.VisitAsync(shared, first, t, 0, until: 60);
        await app.VisitAsync(shared, second, t, 30, until: 120); // a second case at the same venue, overlapping: a cluster
        await app.VisitAsync(shared, contact, t, 10, until: 20);
        await app.VisitAsync(quiet, first, t, 300, until: 330);  // nobody else there: still a place of exposure
        var (officer, one) = await app.OpenCaseAsync(first);
        var (_, two) = await app.OpenCaseAsync(second);
        await officer.TraceAsync(one);
        await officer.TraceAsync(two);

        var hotspots = await (await officer.GetAsync("/api/v1/tracing/sites", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, hotspots.GetProperty("clusterCases").GetInt32());
        var sites = hotspots.GetProperty("sites").EnumerateArray().ToList();
        Assert.Equal(3, sites.Count);
        Assert.All(sites.Where(s => s.Str("venueCode") == shared), s => Assert.True(s.GetProperty("cluster").GetBoolean()));
        Assert.False(sites.Single(s => s.Str("venueCode") == quiet).GetProperty("cluster").GetBoolean());
        Assert.Equal(t.AddMinutes(300), sites.Single(s => s.Str("venueCode") == quiet).GetProperty("from").GetDateTimeOffset());
        Assert.Equal(shared, hotspots.GetProperty("venueClusters").EnumerateArray().Single().Str("venueCode"));
        Assert.Equal(2, hotspots.GetProperty("venueClusters")[0].GetProperty("cases").GetInt32());
        var ward = hotspots.GetProperty("wardClusters").EnumerateArray().Single(); // both cases isolate in Phúc Xá
        Assert.Equal(Timeline.Ward, ward.GetProperty("ward").Str("code"));
        var district = hotspots.GetProperty("byDistrict").EnumerateArray().Single();
        Assert.Equal((3, 2, 2), (district.GetProperty("sites").GetInt32(), district.GetProperty("venues").GetInt32(), district.GetProperty("cases").GetInt32()));

        var visitor = app.CreateClient();
        Assert.Empty((await (await visitor.GetAsync("/api/v1/exposure-sites", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        foreach (var site in sites.Where(s => s.Str("venueCode") == shared))
        {
            await (await officer.PutAsJsonAsync($"/api/v1/tracing/sites/{site.GetProperty("id").GetInt64()}/publication",
                new { published = true, advice = "Ai có mặt, gọi trạm y tế phường Phúc Xá." }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        }

        var bad = await (await officer.PutAsJsonAsync($"/api/v1/tracing/sites/{sites[0].GetProperty("id").GetInt64()}/publication",
            new { published = true, advice = "<script>alert(1)</script>" }, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("advice", out _));

        var listed = (await (await visitor.GetAsync("/api/v1/exposure-sites", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray().ToList();
        var only = Assert.Single(listed); // the two cases' windows at one venue are one window: the list never tells how many cases
        Assert.Equal((t, t.AddMinutes(120)), (only.GetProperty("from").GetDateTimeOffset(), only.GetProperty("to").GetDateTimeOffset()));
        Assert.Equal("Ai có mặt, gọi trạm y tế phường Phúc Xá.", only.Str("advice"));
        Assert.Equal("Phường Phúc Xá", only.Str("ward"));
        foreach (var secret in new[] { first, second, contact, "Trần Thị Bình" })
        {
            Assert.DoesNotContain(secret, only.GetRawText(), StringComparison.Ordinal);
        }

        var csv = await visitor.GetAsync("/api/v1/exposure-sites?format=csv", Cancel);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync(Cancel)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(CityTime.ToLocal(t).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), lines[1], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await visitor.GetAsync("/api/v1/exposure-sites?format=pdf", Cancel)).StatusCode);

        var page = WebUtility.HtmlDecode(await visitor.GetStringAsync("/exposure-sites", Cancel));
        Assert.Contains("Ai có mặt, gọi trạm y tế phường Phúc Xá.", page, StringComparison.Ordinal);

        foreach (var site in sites.Where(s => s.Str("venueCode") == shared))
        {
            await (await officer.PutAsJsonAsync($"/api/v1/tracing/sites/{site.GetProperty("id").GetInt64()}/publication", new { published = false }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        }

        Assert.Empty((await (await visitor.GetAsync("/api/v1/exposure-sites", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        var (elsewhere, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, VenueClient.OtherDistrictWard);
        await (await elsewhere.PutAsJsonAsync($"/api/v1/tracing/sites/{sites[0].GetProperty("id").GetInt64()}/publication", new { published = true }, Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await elsewhere.GetAsync("/api/v1/tracing/sites", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("sites").EnumerateArray());
    }
}

/// <summary>
/// The tracing figures per reporting day and unit: new F0, F1, F2; F1 reached within 24 hours, settled once the 24
/// hours pass; all kept after retention deletes the cases and exposures.
/// </summary>
public sealed class TracingFigureTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task New_cases_F1_F2_and_F1_reached_within_24_hours_are_counted_and_outlive_retention()
    {
        var t = app.Time.GetUtcNow().AddDays(-2);
        var (venue, later) = (await app.VenueAsync(), await app.VenueAsync());
        var (f0, a, b, c) = (VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone());
        await app.VisitAsync(venue, f0, t, 0, until: 60);
        await app.VisitAsync(venue, a, t, 10, until: 30);
        await app.VisitAsync(venue, b, t, 20, until: 40);
        await app.VisitAsync(later, a, t, 200, until: 260);
        await app.VisitAsync(later, c, t, 210, until: 250); // met A afterwards: F2
        var (officer, id) = await app.OpenCaseAsync(f0);
        await officer.TraceAsync(id, f2: true);
        var day = CityTime.DayOf(app.Time.GetUtcNow()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var taskOfA = (await ContactTaskTests.TaskOfAsync(officer, a)).GetProperty("task").GetProperty("id").GetInt64();
        app.Time.Advance(TimeSpan.FromHours(3));
        await (await officer.PostAsJsonAsync($"/api/v1/followups/{taskOfA}/outcome", new { outcome = "reached" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        var figures = await FiguresAsync(officer, day);
        Assert.Equal((1, 2, 1, 1), Counts(figures.GetProperty("onDay")));
        Assert.Equal(1, figures.GetProperty("f1Pending").GetInt32()); // B: inside the 24 hours, not reached yet
        Assert.Equal((1, 2, 1, 1), Counts(figures.GetProperty("byDistrict").EnumerateArray().Single()));
        Assert.Equal(2, figures.GetProperty("last30Days").EnumerateArray().Last().GetProperty("f1").GetInt32());

        // B is reached after 30 hours: too late for the figure. Settling keeps what was counted live.
        app.Time.Advance(TimeSpan.FromHours(27));
        var taskOfB = (await ContactTaskTests.TaskOfAsync(officer, b)).GetProperty("task").GetProperty("id").GetInt64();
        await (await officer.PostAsJsonAsync($"/api/v1/followups/{taskOfB}/outcome", new { outcome = "reached" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var retention = app.Services.GetRequiredService<TracingRetention>();
        Assert.True(await retention.RunOnceAsync(Cancel) >= 2);
        var settled = await FiguresAsync(officer, day);
        Assert.Equal((1, 2, 1, 1), Counts(settled.GetProperty("onDay")));
        Assert.Equal(0, settled.GetProperty("f1Pending").GetInt32());

        // Past the retention the case and its exposures go; the figures stay.
        app.Time.Advance(TimeSpan.FromDays(61));
        await retention.RunOnceAsync(Cancel);
        await (await officer.GetAsync($"/api/v1/tracing/cases/{id}", Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal((1, 2, 1, 1), Counts((await FiguresAsync(officer, day)).GetProperty("onDay")));

        var (elsewhere, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, VenueClient.OtherDistrictWard);
        Assert.Equal((0, 0, 0, 0), Counts((await FiguresAsync(elsewhere, day)).GetProperty("onDay")));
        var invalid = await (await officer.GetAsync("/api/v1/stats/tracing?date=2021-13-40&day=weekly", Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("date", out _));
        Assert.True(invalid.GetProperty("errors").TryGetProperty("day", out _));
        await (await officer.GetAsync("/api/v1/stats/tracing?unit=79", Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task<JsonElement> FiguresAsync(HttpClient client, string day) =>
        await (await client.GetAsync($"/api/v1/stats/tracing?date={day}&day=calendar", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

    private static (int, int, int, int) Counts(JsonElement e) =>
        (e.GetProperty("cases").GetInt32(), e.GetProperty("f1").GetInt32(), e.GetProperty("f2").GetInt32(), e.GetProperty("f1Reached24h").GetInt32());
}

/// <summary>
/// F1 lists with phones and names, as CSV and XLSX, only for the officers of the venue's units or of the unit where the
/// person lives (their task's), each export for a reason.
/// </summary>
public sealed class ContactExportTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const string Reason = "Gọi các F1 của ca bệnh";

    [Fact]
    public async Task The_venues_officer_gets_every_contact_the_homes_officer_only_theirs_and_each_export_needs_a_reason()
    {
        var t = app.Time.GetUtcNow().AddDays(-1);
        var venue = await app.VenueAsync();
        var (f0, walkIn, lives) = (VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone());
        await ContactTaskTests.CheckInAsync(app, venue, f0, null, t, t.AddMinutes(60));
        await ContactTaskTests.CheckInAsync(app, venue, walkIn, "Vũ Thị Lan", t.AddMinutes(10), t.AddMinutes(30));
        await ContactTaskTests.CheckInAsync(app, venue, lives, "Lê Văn Nam", t.AddMinutes(20), t.AddMinutes(50));
        await app.CreateClient().DeclaredAsync(DeclarationClient.Valid(lives, name: "Lê Văn Nam", ward: DeclarationClient.OtherWard));
        var (officer, id) = await app.OpenCaseAsync(f0);
        await officer.TraceAsync(id);

        var csv = await officer.GetAsync($"/api/v1/tracing/cases/{id}/contacts?format=csv&reason=" + Uri.EscapeDataString(Reason), Cancel);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var lines = (await csv.Content.ReadAsStringAsync(Cancel)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Loại,Số điện thoại,Họ tên", lines[0].TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.Contains(walkIn, StringComparison.Ordinal) && l.Contains("Vũ Thị Lan", StringComparison.Ordinal));
        Assert.DoesNotContain(f0, string.Join("\n", lines), StringComparison.Ordinal);

        // Where the person lives: Hoàn Kiếm's officer gets their own resident, not the walk-in, in the list and the file.
        var (home, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, DeclarationClient.OtherWard);
        Assert.Single(await home.ExposuresAsync(id));
        var xlsx = await home.GetAsync($"/api/v1/tracing/cases/{id}/contacts?format=xlsx&reason=" + Uri.EscapeDataString(Reason), Cancel);
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync(Cancel)), false);
        var rows = document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains(lives, rows[1].InnerText, StringComparison.Ordinal);
        Assert.DoesNotContain(walkIn, rows[1].InnerText, StringComparison.Ordinal);

        var noReason = await (await officer.GetAsync($"/api/v1/tracing/cases/{id}/contacts", Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.GetAsync($"/api/v1/tracing/cases/{id}/contacts?format=pdf&reason=" + Uri.EscapeDataString(Reason), Cancel)).StatusCode);
        var (stranger, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, "00004"); // Trúc Bạch: the ward of neither the venue nor a contact
        await (await stranger.GetAsync($"/api/v1/tracing/cases/{id}/contacts?reason=" + Uri.EscapeDataString(Reason), Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);

        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var trail = (await (await admin.GetAsync($"/api/v1/staff/audit?entityType=case&entityId={id}", Cancel)).ReadJsonAsync(HttpStatusCode.OK))
            .EnumerateArray().Where(a => a.Str("action") == "case.contacts.export").ToList();
        Assert.Equal(2, trail.Count);
        Assert.All(trail, a => Assert.Equal(Reason, JsonDocument.Parse(a.Str("after")!).RootElement.Str("reason")));
    }
}
