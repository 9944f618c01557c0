using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using CitizenSensor.Tests.Features.Declarations;
using CitizenSensor.Tests.Features.Venues;

namespace CitizenSensor.Tests.Features.Tracing;

/// <summary>
/// The people a trace finds become follow-up tasks: for the health officer of the ward where they live (their
/// declaration's), else of the venue's; with the rules' quarantine dates; joined to an open task they already have;
/// never raised twice by tracing again.
/// </summary>
public sealed class ContactTaskTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    internal static async Task CheckInAsync(CitizenApp app, string venue, string phone, string? name, DateTimeOffset at, DateTimeOffset until) =>
        await (await app.CreateClient().PostAsJsonAsync("/api/v1/checkins", new { venueCode = venue, phone, name, at, checkOutAt = until }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);

    internal static async Task<JsonElement> TaskOfAsync(HttpClient officer, string phone)
    {
        foreach (var task in (await (await officer.GetAsync("/api/v1/followups?status=all", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray())
        {
            var opened = await (await officer.GetAsync($"/api/v1/followups/{task.GetProperty("id").GetInt64()}?reason=" + Uri.EscapeDataString("Gọi F1 theo truy vết"), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
            if (opened.GetRawText().Contains(phone, StringComparison.Ordinal))
            {
                return opened;
            }
        }

        throw new Xunit.Sdk.XunitException($"No task of {phone} in the officer's units.");
    }

    [Fact]
    public async Task F1s_and_F2s_get_tasks_where_they_live_or_at_the_venue_with_quarantine_dates_and_no_task_is_raised_twice()
    {
        var t = app.Time.GetUtcNow().AddDays(-2);
        var (venue, later) = (await app.VenueAsync(), await app.VenueAsync());
        var (f0, lives, walkIn, declared, f2) = (VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone());
        await CheckInAsync(app, venue, f0, null, t, t.AddMinutes(60));
        await CheckInAsync(app, venue, lives, "Lê Văn Nam", t.AddMinutes(10), t.AddMinutes(50));   // declared (no symptoms) in another district
        await CheckInAsync(app, venue, walkIn, null, t.AddMinutes(20), t.AddMinutes(40));           // never declared: the venue's ward
        await CheckInAsync(app, venue, declared, "Phạm Thu Hà", t.AddMinutes(30), t.AddMinutes(70)); // already has an open task (a cough)
        await CheckInAsync(app, later, walkIn, null, t.AddMinutes(300), t.AddMinutes(360));
        await CheckInAsync(app, later, f2, null, t.AddMinutes(320), t.AddMinutes(340));             // met the walk-in later: F2
        var citizen = app.CreateClient();
        await citizen.DeclaredAsync(DeclarationClient.Valid(lives, name: "Lê Văn Nam", ward: DeclarationClient.OtherWard));
        await citizen.DeclaredAsync(DeclarationClient.Valid(declared, name: "Phạm Thu Hà", symptoms: ["cough"]));
        var (officer, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, Timeline.Ward);
        var declaredTask = await TaskOfAsync(officer, declared);

        var (_, id) = await app.OpenCaseAsync(f0);
        var traced = await officer.TraceAsync(id, f2: true);
        Assert.Equal(3, traced.GetProperty("people").GetInt32());
        Assert.Equal(1, traced.GetProperty("secondPeople").GetInt32());
        Assert.Equal(3, traced.GetProperty("tasksRaised").GetInt32()); // the one who had a task keeps it

        var day = CityTime.DayOf(t);
        var walkInTask = await TaskOfAsync(officer, walkIn);
        var task = walkInTask.GetProperty("task");
        Assert.Equal("f1", task.Str("contact"));
        Assert.Equal(Timeline.Ward, task.Str("wardCode"));
        Assert.Equal(day, DateOnly.Parse(task.Str("quarantineFrom")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(day.AddDays(14), DateOnly.Parse(task.Str("quarantineUntil")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("contact-confirmed", task.GetProperty("exposures").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(app.Time.GetUtcNow().AddHours(24), task.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(walkIn, walkInTask.GetProperty("contact").Str("phone"));
        Assert.Equal(JsonValueKind.Null, walkInTask.GetProperty("declaration").ValueKind);
        Assert.DoesNotContain(f0, walkInTask.GetRawText(), StringComparison.Ordinal);

        var page = WebUtility.HtmlDecode(await officer.GetStringAsync("/staff/followups", Cancel));
        Assert.Contains("F1: đã ở cùng địa điểm với một ca bệnh", page, StringComparison.Ordinal);
        Assert.Contains($"Cách ly từ {day:dd/MM/yyyy} đến hết {day.AddDays(14):dd/MM/yyyy}", page, StringComparison.Ordinal);
        Assert.Contains("F2: đã ở cùng địa điểm với một F1", page, StringComparison.Ordinal);

        var joined = await TaskOfAsync(officer, declared);
        Assert.Equal(declaredTask.GetProperty("task").GetProperty("id").GetInt64(), joined.GetProperty("task").GetProperty("id").GetInt64());
        Assert.Equal("f1", joined.GetProperty("task").Str("contact"));
        Assert.Equal(["cough"], joined.GetProperty("task").GetProperty("symptoms").EnumerateArray().Select(e => e.GetString()!).ToList());

        var secondTask = (await TaskOfAsync(officer, f2)).GetProperty("task");
        Assert.Equal("f2", secondTask.Str("contact"));
        Assert.Equal(day.AddDays(7), DateOnly.Parse(secondTask.Str("quarantineUntil")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(app.Time.GetUtcNow().AddHours(48), secondTask.GetProperty("dueAt").GetDateTimeOffset());

        // The person who declared in Hoàn Kiếm is that ward's officer's call, not the venue's.
        await Assert.ThrowsAsync<Xunit.Sdk.XunitException>(() => TaskOfAsync(officer, lives));
        var (home, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, DeclarationClient.OtherWard);
        var livesTask = await TaskOfAsync(home, lives);
        Assert.Equal(DeclarationClient.OtherWard, livesTask.GetProperty("task").Str("wardCode"));
        Assert.Equal("Lê Văn Nam", livesTask.GetProperty("contact").Str("name"));

        // Reached and closed: tracing again (even with new data) calls nobody twice.
        var walkInId = task.GetProperty("id").GetInt64();
        await (await officer.PostAsJsonAsync($"/api/v1/followups/{walkInId}/outcome", new { outcome = "reached" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var again = await officer.TraceAsync(id, f2: true);
        Assert.Equal(0, again.GetProperty("tasksRaised").GetInt32());
        await CheckInAsync(app, venue, VenueClient.NewPhone(), null, t.AddMinutes(5), t.AddMinutes(15));
        Assert.Equal(1, (await officer.TraceAsync(id, f2: true)).GetProperty("tasksRaised").GetInt32());
    }

    [Fact]
    public async Task A_contact_who_tests_positive_becomes_a_case_with_the_check_ins_phone()
    {
        var t = app.Time.GetUtcNow().AddDays(-1);
        var venue = await app.VenueAsync();
        var (f0, contact) = (VenueClient.NewPhone(), VenueClient.NewPhone());
        await CheckInAsync(app, venue, f0, null, t, t.AddMinutes(60));
        await CheckInAsync(app, venue, contact, null, t.AddMinutes(10), t.AddMinutes(30));
        var (officer, id) = await app.OpenCaseAsync(f0);
        await officer.TraceAsync(id);
        var taskId = (await TaskOfAsync(officer, contact)).GetProperty("task").GetProperty("id").GetInt64();
        await (await officer.PostAsJsonAsync($"/api/v1/followups/{taskId}/outcome", new { outcome = "tested-positive" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        var today = CityTime.DayOf(app.Time.GetUtcNow());
        var nameless = await (await officer.PostAsJsonAsync("/api/v1/tracing/cases", new { followUpId = taskId, testDate = today, isolation = "home" }, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(nameless.GetProperty("errors").TryGetProperty("name", out _)); // the check-in had no name: the officer gives it
        var opened = await (await officer.PostAsJsonAsync("/api/v1/tracing/cases", new { followUpId = taskId, name = "Đỗ Minh Khôi", testDate = today, isolation = "home" }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(Timeline.Ward, opened.GetProperty("ward").Str("code"));
        var identity = await (await officer.GetAsync($"/api/v1/tracing/cases/{opened.GetProperty("id").GetInt64()}/identity?reason=" + Uri.EscapeDataString("Gọi ca mới"), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(contact, identity.Str("phone"));
        Assert.Equal("Đỗ Minh Khôi", identity.Str("name"));
    }
}

/// <summary>The quarantine days are the city's rules' data (a city with rules of its own, in a fixture of its own).</summary>
public sealed class QuarantineRuleTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Quarantine_days_are_rules_data_and_bad_values_are_named()
    {
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var rules = new { lookBackDays = 14, match = "any-overlap", windowMinutes = 60, minimumStayMinutes = 0, aerosolTailMaxMinutes = 0, highRiskMinutes = 0, defaultStayMinutes = 60, quarantineDays = 99, secondQuarantineDays = -1 };
        var bad = await (await admin.PutAsJsonAsync("/api/v1/tracing/rules?city=01", rules, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("quarantineDays", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("secondQuarantineDays", out _));
        var saved = await (await admin.PutAsJsonAsync("/api/v1/tracing/rules?city=01", rules with { quarantineDays = 7, secondQuarantineDays = 0 }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(7, saved.GetProperty("rules").GetProperty("quarantineDays").GetInt32());

        var t = app.Time.GetUtcNow().AddDays(-1);
        var venue = await app.VenueAsync();
        var (f0, contact) = (VenueClient.NewPhone(), VenueClient.NewPhone());
        await ContactTaskTests.CheckInAsync(app, venue, f0, null, t, t.AddMinutes(60));
        await ContactTaskTests.CheckInAsync(app, venue, contact, null, t.AddMinutes(10), t.AddMinutes(30));
        var (officer, id) = await app.OpenCaseAsync(f0);
        await officer.TraceAsync(id);
        var task = (await ContactTaskTests.TaskOfAsync(officer, contact)).GetProperty("task");
        Assert.Equal(CityTime.DayOf(t).AddDays(7), DateOnly.Parse(task.Str("quarantineUntil")!, System.Globalization.CultureInfo.InvariantCulture));
    }
}
