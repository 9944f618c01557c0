using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Declarations;
using CitizenSensor.Tests.Features.Venues;

namespace CitizenSensor.Tests.Features.Tracing;

/// <summary>Hand-built timelines at venues, a case opened by a health officer, and the people tracing must find (and must not).</summary>
internal static class Timeline
{
    public const string Ward = "00001"; // Phường Phúc Xá, Ba Đình (2021)

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static async Task<string> VenueAsync(this CitizenApp app) => (await app.CreateClient().RegisterAsync(VenueClient.NewVenue(ward: Ward))).Str("code");

    /// <summary>A check-in at <paramref name="minutes"/> after <paramref name="t"/>, checked out at <paramref name="until"/> minutes if given.</summary>
    public static async Task VisitAsync(this CitizenApp app, string venue, string phone, DateTimeOffset t, int minutes, int? until = null)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/checkins",
            new { venueCode = venue, phone, at = t.AddMinutes(minutes), checkOutAt = until is { } u ? t.AddMinutes(u) : (DateTimeOffset?)null }, Cancel);
        await response.ReadJsonAsync(HttpStatusCode.Created);
    }

    public static async Task<(HttpClient Officer, long Case)> OpenCaseAsync(this CitizenApp app, string phone)
    {
        var (officer, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, Ward);
        var today = CitizenSensor.Infrastructure.CityTime.DayOf(app.Time.GetUtcNow());
        var opened = await (await officer.PostAsJsonAsync("/api/v1/tracing/cases",
            new { phone, name = "Trần Thị Bình", citizenId = "001190012345", testDate = today, isolation = "home", ward = Ward }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        return (officer, opened.GetProperty("id").GetInt64());
    }

    public static async Task<JsonElement> TraceAsync(this HttpClient officer, long id, bool f2 = false) =>
        await (await officer.PostAsync($"/api/v1/tracing/cases/{id}/trace" + (f2 ? "?f2=true" : ""), null, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

    public static async Task<List<JsonElement>> ExposuresAsync(this HttpClient officer, long id) =>
        [.. (await (await officer.GetAsync($"/api/v1/tracing/cases/{id}/exposures", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray()];

    public static async Task SaveRulesAsync(this CitizenApp app, object rules)
    {
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        await (await admin.PutAsJsonAsync("/api/v1/tracing/rules?city=01", rules, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
    }

    /// <summary>The exposures by their window, in minutes after <paramref name="t"/>: "30-60" for one from t+30 to t+60.</summary>
    public static List<string> Windows(this IEnumerable<JsonElement> exposures, DateTimeOffset t) =>
        [.. exposures.Select(e => $"{(e.GetProperty("from").GetDateTimeOffset() - t).TotalMinutes:0}-{(e.GetProperty("to").GetDateTimeOffset() - t).TotalMinutes:0}").Order(StringComparer.Ordinal)];
}

/// <summary>The default rule, any overlap (NHS COVID-19, NZ COVID Tracer, CrowdNotifier), with a 60-minute stay when there is no check-out.</summary>
public sealed class AnyOverlapTracingTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    [Fact]
    public async Task Overlapping_stays_are_found_touching_and_inferred_ends_are_not_and_a_person_is_kept_once()
    {
        var t = app.Time.GetUtcNow().AddDays(-2);
        var (venue, other) = (await app.VenueAsync(), await app.VenueAsync());
        var (f0, a, b, c, d, e, late) = (VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone());
        await app.VisitAsync(venue, f0, t, 0, until: 60);
        await app.VisitAsync(other, f0, t, 200, until: 260);
        await app.VisitAsync(venue, a, t, 30, until: 90);   // overlaps 30 minutes: F1
        await app.VisitAsync(venue, b, t, 60, until: 120);  // arrives as the case leaves: stays that only touch
        await app.VisitAsync(venue, c, t, -30);             // no check-out, but scanned elsewhere at t-10: left before the case came
        await app.VisitAsync(other, c, t, -10, until: -5);
        await app.VisitAsync(venue, d, t, -30);             // no check-out, no next scan: the default 60 minutes, to t+30
        await app.VisitAsync(venue, e, t, 50, until: 55);   // at both of the case's venues: kept once, with the longer exposure
        await app.VisitAsync(other, e, t, 190, until: 300);
        await app.VisitAsync(venue, f0, t, -24 * 60 * 16, until: -24 * 60 * 16 + 60); // 16 days before the test: past the 14 days looked back
        await app.VisitAsync(venue, late, t, -24 * 60 * 16 + 10, until: -24 * 60 * 16 + 50);

        var (officer, id) = await app.OpenCaseAsync(f0);
        var traced = await officer.TraceAsync(id);
        Assert.Equal(0, traced.GetProperty("ruleVersion").GetInt32());
        Assert.Equal(2, traced.GetProperty("caseCheckIns").GetInt32());
        Assert.Equal(3, traced.GetProperty("people").GetInt32());
        Assert.Equal(3, traced.GetProperty("added").GetInt32());

        var found = await officer.ExposuresAsync(id);
        Assert.Equal(["0-30", "200-260", "30-60"], found.Windows(t)); // D, E (at the second venue, 60 minutes), A
        Assert.Equal(60, found.Single(x => x.GetProperty("from").GetDateTimeOffset() == t.AddMinutes(200)).GetProperty("overlapMinutes").GetDouble());
        Assert.All(found, x => Assert.Equal(1, x.GetProperty("generation").GetInt32()));
        Assert.DoesNotContain("Trần Thị Bình", JsonSerializer.Serialize(found), StringComparison.Ordinal);

        // Tracing again adds only what is new.
        var again = await officer.TraceAsync(id);
        Assert.Equal(0, again.GetProperty("added").GetInt32());
        Assert.Equal(0, again.GetProperty("strengthened").GetInt32());
        await app.VisitAsync(venue, VenueClient.NewPhone(), t, 10, until: 20);
        Assert.Equal(1, (await officer.TraceAsync(id)).GetProperty("added").GetInt32());
        Assert.Equal(4, (await officer.ExposuresAsync(id)).Count);
    }
}

/// <summary>F2 on request: the people an F1 met after meeting the case, kept after the F1s and never in their place.</summary>
public sealed class SecondGenerationTracingTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    [Fact]
    public async Task An_F1s_later_check_ins_find_F2_and_earlier_ones_do_not()
    {
        var t = app.Time.GetUtcNow().AddDays(-3);
        var (first, later, earlier) = (await app.VenueAsync(), await app.VenueAsync(), await app.VenueAsync());
        var (f0, a, b, c, d) = (VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone());
        await app.VisitAsync(first, f0, t, 0, until: 60);
        await app.VisitAsync(first, a, t, 30, until: 90);        // F1
        await app.VisitAsync(later, a, t, 200, until: 260);
        await app.VisitAsync(later, b, t, 220, until: 240);      // met A afterwards: F2
        await app.VisitAsync(later, c, t, 100, until: 150);      // left before A came
        await app.VisitAsync(earlier, a, t, -300, until: -200);
        await app.VisitAsync(earlier, d, t, -280, until: -250);  // met A before A met the case
        await app.VisitAsync(later, f0, t, 230, until: 235);     // the case itself is no F2

        var (officer, id) = await app.OpenCaseAsync(f0);
        var plain = await officer.TraceAsync(id);
        Assert.Equal(2, plain.GetProperty("people").GetInt32()); // A, and B, who met the case at the second venue too
        Assert.Equal(0, plain.GetProperty("secondPeople").GetInt32());

        var both = await officer.TraceAsync(id, f2: true);
        Assert.Equal(0, both.GetProperty("added").GetInt32());
        Assert.Equal(0, both.GetProperty("secondPeople").GetInt32()); // B is already an F1: kept as one

        var (e, g) = (VenueClient.NewPhone(), VenueClient.NewPhone());
        await app.VisitAsync(later, e, t, 250, until: 280);      // met A (to t+260) but not the case (gone at t+235)
        await app.VisitAsync(earlier, g, t, -260, until: -210);  // met A before the exposure only
        var again = await officer.TraceAsync(id, f2: true);
        Assert.Equal(1, again.GetProperty("secondPeople").GetInt32());
        Assert.Equal(1, again.GetProperty("secondAdded").GetInt32());
        var found = await officer.ExposuresAsync(id);
        Assert.Equal([1, 1, 2], found.Select(x => x.GetProperty("generation").GetInt32()).ToList()); // F1s first
        Assert.Equal(["250-260"], found.Where(x => x.GetProperty("generation").GetInt32() == 2).Windows(t));
    }
}

/// <summary>PC-Covid's rule as data: a scan at the same venue within ±60 minutes of the case's scan, edges included.</summary>
public sealed class ScanWithinTracingTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    [Fact]
    public async Task Scans_within_the_window_count_and_one_minute_more_does_not()
    {
        await app.SaveRulesAsync(new { lookBackDays = 14, match = "scan-within", windowMinutes = 60, minimumStayMinutes = 0, aerosolTailMaxMinutes = 0, highRiskMinutes = 0, defaultStayMinutes = 60 });
        var t = app.Time.GetUtcNow().AddDays(-1);
        var venue = await app.VenueAsync();
        var f0 = VenueClient.NewPhone();
        await app.VisitAsync(venue, f0, t, 0, until: 30);
        await app.VisitAsync(venue, VenueClient.NewPhone(), t, 60);              // the window's edge, after
        await app.VisitAsync(venue, VenueClient.NewPhone(), t, -60, until: -50); // the window's edge, before (no shared time: the scan counts)
        await app.VisitAsync(venue, VenueClient.NewPhone(), t, 61);
        await app.VisitAsync(venue, VenueClient.NewPhone(), t, -61, until: 100); // stayed through, but scanned outside the window

        var (officer, id) = await app.OpenCaseAsync(f0);
        var traced = await officer.TraceAsync(id);
        Assert.Equal(1, traced.GetProperty("ruleVersion").GetInt32());
        Assert.Equal(2, traced.GetProperty("people").GetInt32());
        Assert.Equal(["-60-0", "0-60"], (await officer.ExposuresAsync(id)).Windows(t));
        Assert.Equal(1, (await officer.GetFromJsonAsync<JsonElement>($"/api/v1/tracing/cases/{id}", TestContext.Current.CancellationToken)).GetProperty("ruleVersion").GetInt32());
    }
}

/// <summary>Corona-Warn-App's rule as data: short stays dropped, the case's stay extended by its length up to an aerosol tail, minutes weighted by the venue's kind.</summary>
public sealed class WeightedTracingTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    [Fact]
    public async Task Weighted_minutes_decide_high_risk_with_the_aerosol_tail_and_short_stays_dropped()
    {
        await app.SaveRulesAsync(new
        {
            lookBackDays = 14,
            match = "weighted-overlap",
            windowMinutes = 0,
            minimumStayMinutes = 10,
            aerosolTailMaxMinutes = 30,
            highRiskMinutes = 10,
            defaultStayMinutes = 60,
            kindWeights = new Dictionary<string, double> { ["restaurant"] = 0.5 },
        });
        var t = app.Time.GetUtcNow().AddDays(-1);
        var venue = await app.VenueAsync(); // a restaurant: weight 0.5
        var f0 = VenueClient.NewPhone();
        await app.VisitAsync(venue, f0, t, 0, until: 20);                      // 20 minutes: risky until t+40
        await app.VisitAsync(venue, VenueClient.NewPhone(), t, 25, until: 45); // 15 minutes in the tail × 0.5 = 7.5: low risk
        await app.VisitAsync(venue, VenueClient.NewPhone(), t, 20, until: 60); // 20 × 0.5 = 10: high risk, at the threshold
        await app.VisitAsync(venue, VenueClient.NewPhone(), t, 5, until: 12);  // 7 minutes: under the minimum, dropped
        await app.VisitAsync(venue, VenueClient.NewPhone(), t, 41, until: 80); // after the tail

        var (officer, id) = await app.OpenCaseAsync(f0);
        var traced = await officer.TraceAsync(id);
        Assert.Equal(2, traced.GetProperty("people").GetInt32());
        Assert.Equal(1, traced.GetProperty("highRisk").GetInt32());
        var found = await officer.ExposuresAsync(id);
        Assert.Equal(["20-40", "25-40"], found.Windows(t));
        var high = Assert.Single(found, x => x.GetProperty("highRisk").GetBoolean());
        Assert.Equal(10, high.GetProperty("score").GetDouble());
        Assert.Equal(7.5, Assert.Single(found, x => !x.GetProperty("highRisk").GetBoolean()).GetProperty("score").GetDouble());
    }
}

/// <summary>Opening a case: every field checked, the identity sealed and read only for a reason (audited), cases and rules kept to those who may.</summary>
public sealed class CaseTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bad_input_is_refused_field_by_field_and_nothing_is_kept()
    {
        var (officer, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, Timeline.Ward);
        var problem = await (await officer.PostAsJsonAsync("/api/v1/tracing/cases",
            new { phone = "12", name = "<b>x</b>", citizenId = "12ab", testDate = "2031-01-01", isolation = "hotel", ward = "26734" }, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "phone", "name", "citizenId", "testDate", "isolation", "ward" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field + " in " + errors.GetRawText());
        }

        await (await officer.PostAsync("/api/v1/tracing/cases", new StringContent("{\"phone\":", System.Text.Encoding.UTF8, "application/json"), Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        var (viewer, _) = await app.SignedInAsync(StaffRoles.Viewer, Timeline.Ward);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/tracing/cases", new { phone = "0912345678" }, Cancel)).StatusCode);
    }

    [Fact]
    public async Task The_identity_is_read_for_a_reason_and_audited_and_other_wards_do_not_see_the_case()
    {
        var phone = VenueClient.NewPhone();
        var (officer, id) = await app.OpenCaseAsync(phone);
        var view = await (await officer.GetAsync($"/api/v1/tracing/cases/{id}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", view.Str("status"));
        Assert.Equal("Phường Phúc Xá", view.GetProperty("ward").Str("name"));
        Assert.DoesNotContain(phone, view.GetRawText(), StringComparison.Ordinal);

        await (await officer.GetAsync($"/api/v1/tracing/cases/{id}/identity", Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        var identity = await (await officer.GetAsync($"/api/v1/tracing/cases/{id}/identity?reason=" + Uri.EscapeDataString("Gọi điện hỏi nơi đã đến"), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(phone, identity.Str("phone"));
        Assert.Equal("001190012345", identity.Str("citizenId"));

        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var audit = await (await admin.GetAsync($"/api/v1/staff/audit?entityType=case&entityId={id}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var entries = audit.EnumerateArray().ToList();
        Assert.Contains(entries, e => e.Str("action") == "case.open");
        var read = Assert.Single(entries, e => e.Str("action") == "case.identity.read");
        Assert.Equal("Gọi điện hỏi nơi đã đến", JsonDocument.Parse(read.Str("after")!).RootElement.Str("reason"));

        var (elsewhere, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, "00004"); // Phường Trúc Bạch
        await (await elsewhere.GetAsync($"/api/v1/tracing/cases/{id}", Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await elsewhere.PostAsync($"/api/v1/tracing/cases/{id}/trace", null, Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_case_opens_from_a_positive_follow_up_with_the_declarations_identity()
    {
        var phone = VenueClient.NewPhone();
        await app.CreateClient().DeclaredAsync(DeclarationClient.Valid(phone, symptoms: ["cough", "fever"]));
        var (officer, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, Timeline.Ward);
        var tasks = await (await officer.GetAsync("/api/v1/followups", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var taskId = tasks.EnumerateArray().Select(t => t.GetProperty("id").GetInt64()).Max();
        var today = CitizenSensor.Infrastructure.CityTime.DayOf(app.Time.GetUtcNow());
        var fromTask = new { followUpId = taskId, testDate = today, isolation = "facility", facility = "Bệnh viện dã chiến số 2" };

        var notYet = await (await officer.PostAsJsonAsync("/api/v1/tracing/cases", fromTask, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("tested-positive", notYet.GetProperty("errors").GetProperty("followUpId")[0].GetString(), StringComparison.Ordinal);

        await (await officer.PostAsJsonAsync($"/api/v1/followups/{taskId}/outcome", new { outcome = "tested-positive" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var opened = await (await officer.PostAsJsonAsync("/api/v1/tracing/cases", fromTask, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("facility", opened.Str("isolation"));
        Assert.Equal(Timeline.Ward, opened.GetProperty("ward").Str("code")); // the declaration's ward
        var id = opened.GetProperty("id").GetInt64();
        var identity = await (await officer.GetAsync($"/api/v1/tracing/cases/{id}/identity?reason=" + Uri.EscapeDataString("Gọi điện truy vết"), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(phone, identity.Str("phone"));

        var (elsewhere, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, "00004");
        await (await elsewhere.PostAsJsonAsync("/api/v1/tracing/cases", fromTask, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest); // not their task
    }

    [Fact]
    public async Task Only_an_Admin_saves_rules_each_save_is_a_new_version_and_bad_values_are_named()
    {
        var (officer, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, Timeline.Ward);
        var defaults = await (await officer.GetAsync("/api/v1/tracing/rules?city=79", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, defaults.GetProperty("version").GetInt32());
        Assert.Equal(14, defaults.GetProperty("rules").GetProperty("lookBackDays").GetInt32());
        Assert.Equal("any-overlap", defaults.GetProperty("rules").Str("match"));

        var rules = new { lookBackDays = 10, match = "scan-within", windowMinutes = 60, minimumStayMinutes = 0, aerosolTailMaxMinutes = 0, highRiskMinutes = 0, defaultStayMinutes = 60 };
        await (await officer.PutAsJsonAsync("/api/v1/tracing/rules?city=79", rules, Cancel)).ReadProblemAsync(HttpStatusCode.Forbidden);

        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var bad = await (await admin.PutAsJsonAsync("/api/v1/tracing/rules?city=79", rules with { lookBackDays = 99, match = "guess" }, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("lookBackDays", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("match", out _));
        await (await admin.PutAsJsonAsync("/api/v1/tracing/rules?city=99", rules, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(1, (await (await admin.PutAsJsonAsync("/api/v1/tracing/rules?city=79", rules, Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("version").GetInt32());
        Assert.Equal(2, (await (await admin.PutAsJsonAsync("/api/v1/tracing/rules?city=79", rules with { windowMinutes = 30 }, Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("version").GetInt32());
        var now = await (await officer.GetAsync("/api/v1/tracing/rules?city=79", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, now.GetProperty("version").GetInt32());
        Assert.Equal(30, now.GetProperty("rules").GetProperty("windowMinutes").GetInt32());
        Assert.Equal(0, (await (await officer.GetAsync("/api/v1/tracing/rules?city=01", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("version").GetInt32()); // each city its own
    }
}
