using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenSensor.Features.Declarations;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Venues;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Declarations;

/// <summary>Follow-up of symptomatic and exposed people: who gets the task, outcomes, escalation, scoping and audit.</summary>
public sealed class FollowUpTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> TasksAsync(HttpClient client, string query = "") =>
        await (await client.GetAsync("/api/v1/followups" + query, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task Symptoms_or_exposures_open_one_task_for_the_wards_health_officer_who_records_the_outcome()
    {
        var client = app.CreateClient();
        var (ward, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, DeclarationClient.Ward);
        var (district, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, DeclarationClient.District);
        var (elsewhere, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, "002");
        // Other tests of this class may have opened tasks in the same ward first: look only at the new ones.
        var before = (await TasksAsync(ward)).EnumerateArray().Select(t => t.GetProperty("id").GetInt64()).ToHashSet();

        // Sore throat alone, or nothing: no task. Cough: a task. The same person again with an exposure: the same task.
        await client.DeclaredAsync(DeclarationClient.Valid(symptoms: ["sore-throat", "fatigue"]));
        await client.DeclaredAsync(DeclarationClient.Valid());
        Assert.Equal(before.Count, (await TasksAsync(ward)).GetArrayLength());
        var phone = VenueClient.NewPhone();
        await client.DeclaredAsync(DeclarationClient.Valid(phone, symptoms: ["cough", "fever"]));
        var latest = await client.DeclaredAsync(DeclarationClient.Valid(phone, exposures: ["contact-confirmed"]));
        var tasks = await TasksAsync(ward);
        Assert.Equal(before.Count + 1, tasks.GetArrayLength());
        var task = tasks.EnumerateArray().Single(t => !before.Contains(t.GetProperty("id").GetInt64()));
        Assert.Equal(["fever", "cough"], task.GetProperty("symptoms").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["contact-confirmed"], task.GetProperty("exposures").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(app.Time.GetUtcNow().AddHours(24), task.GetProperty("dueAt").GetDateTimeOffset());
        Assert.DoesNotContain(phone, tasks.GetRawText(), StringComparison.Ordinal);
        var id = task.GetProperty("id").GetInt64();

        // The district sees its wards' tasks; another district and other roles do not.
        Assert.Contains((await TasksAsync(district)).EnumerateArray(), t => t.GetProperty("id").GetInt64() == id);
        Assert.DoesNotContain((await TasksAsync(elsewhere)).EnumerateArray(), t => t.GetProperty("id").GetInt64() == id);
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.GetAsync($"/api/v1/followups/{id}?reason=calling the person", Cancel)).StatusCode);
        var (viewer, _) = await app.SignedInAsync(StaffRoles.Viewer, DeclarationClient.Ward);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/v1/followups", Cancel)).StatusCode);

        // Opening the task shows how to reach the person, audited with the reason.
        await (await ward.GetAsync($"/api/v1/followups/{id}", Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        var opened = await (await ward.GetAsync($"/api/v1/followups/{id}?reason=calling the person", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(phone, opened.GetProperty("declaration").Str("phone"));
        Assert.Equal(latest.GetProperty("id").GetInt64(), opened.GetProperty("declaration").GetProperty("id").GetInt64());

        // Not reached: still open, one attempt. Then advised testing: closed. Then nothing more.
        var bad = await (await ward.PostAsJsonAsync($"/api/v1/followups/{id}/outcome", new { outcome = "maybe", note = "<b>x</b>" }, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("outcome", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("note", out _));
        var notReached = await (await ward.PostAsJsonAsync($"/api/v1/followups/{id}/outcome", new { outcome = "not-reached" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("open", notReached.Str("status"));
        Assert.Equal(1, notReached.GetProperty("attempts").GetInt32());
        var stale = await (await ward.PostAsJsonAsync($"/api/v1/followups/{id}/outcome", new { outcome = "reached", revision = 0 }, Cancel)).ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("updated this task", stale.Str("detail"), StringComparison.Ordinal);
        var closed = await (await district.PostAsJsonAsync($"/api/v1/followups/{id}/outcome", new { outcome = "advised-testing", note = "Hẹn xét nghiệm sáng mai" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("closed", closed.Str("status"));
        Assert.Equal("advised-testing", closed.Str("outcome"));
        await (await ward.PostAsJsonAsync($"/api/v1/followups/{id}/outcome", new { outcome = "reached" }, Cancel)).ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.DoesNotContain((await TasksAsync(ward)).EnumerateArray(), t => t.GetProperty("id").GetInt64() == id);
        Assert.Contains((await TasksAsync(ward, "?status=closed")).EnumerateArray(), t => t.GetProperty("id").GetInt64() == id);

        // A new declaration with symptoms after the task closed opens a new one.
        await client.DeclaredAsync(DeclarationClient.Valid(phone, symptoms: ["breathing-difficulty"]));
        Assert.Contains((await TasksAsync(ward)).EnumerateArray(), t => t.GetProperty("symptoms").EnumerateArray().Any(s => s.GetString() == "breathing-difficulty"));

        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var audit = await (await admin.GetAsync($"/api/v1/staff/audit?entityType=followup&entityId={id}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(audit.EnumerateArray(), a => a.Str("action") == "view-followup" && a.Str("after").Contains("calling the person", StringComparison.Ordinal));
        Assert.Equal(2, audit.EnumerateArray().Count(a => a.Str("action") == "followup-outcome"));
    }

    [Fact]
    public async Task Overdue_tasks_escalate_to_the_district()
    {
        var client = app.CreateClient();
        var monitor = app.Services.GetRequiredService<FollowUpMonitor>();
        await monitor.RunOnceAsync(Cancel);
        var (district, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, DeclarationClient.District);
        var before = (await TasksAsync(district)).EnumerateArray().Select(t => t.GetProperty("id").GetInt64()).ToHashSet();
        await client.DeclaredAsync(DeclarationClient.Valid(exposures: ["outbreak-area"]));
        var id = (await TasksAsync(district, "?escalated=false")).EnumerateArray()
            .Single(t => !before.Contains(t.GetProperty("id").GetInt64())).GetProperty("id").GetInt64();

        app.Time.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, await monitor.RunOnceAsync(Cancel));
        app.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        Assert.True(await monitor.RunOnceAsync(Cancel) >= 1);
        Assert.Equal(0, await monitor.RunOnceAsync(Cancel));

        var escalated = await TasksAsync(district, "?escalated=true");
        var task = escalated.EnumerateArray().Single(t => t.GetProperty("id").GetInt64() == id);
        Assert.True(task.GetProperty("overdue").GetBoolean());
        Assert.Equal(app.Time.GetUtcNow(), task.GetProperty("escalatedAt").GetDateTimeOffset());
        // Escalated tasks come first in the district's list.
        Assert.NotEqual(JsonValueKind.Null, (await TasksAsync(district))[0].GetProperty("escalatedAt").ValueKind);

        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var audit = await (await admin.GetAsync($"/api/v1/staff/audit?entityType=followup&entityId={id}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(audit.EnumerateArray(), a => a.Str("action") == "escalate-followup");
    }
}
