using System.Net;
using System.Net.Http.Json;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Reports;

namespace CitizenSensor.Tests.Features.Channels;

/// <summary>The phone line over HTTP: calls logged by agents and the switchboard, reports filed for callers, look-ups, call-backs.</summary>
public sealed class CallsTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Calls_and_look_ups_stay_within_the_agents_city()
    {
        var (hcmc, _) = await app.SignedInAsync(StaffRoles.CallAgent, "79");
        var (hanoi, _) = await app.SignedInAsync(StaffRoles.CallAgent, "01");
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var phone = "09" + Random.Shared.Next(10_000_000, 99_999_999);
        var code = (await (await hcmc.PostAsJsonAsync("/api/v1/calls/reports", new
        {
            callerPhone = phone,
            description = "Người gọi báo quán nhậu trên đường Lê Lợi tụ tập đông người, không đeo khẩu trang",
            address = "phường Bến Thành, quận 1",
        }, Cancel)).ReadJsonAsync(HttpStatusCode.Created)).Str("code");
        await app.CreateClient().WaitProcessedAsync(code);
        await (await hcmc.PostAsJsonAsync("/api/v1/calls", new { direction = "inbound", callerPhone = phone, outcome = "answered-directly", note = "Hỏi giờ giới nghiêm" }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);

        var hanoiRecent = await (await hanoi.GetAsync("/api/v1/calls?hours=24", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(phone, hanoiRecent.GetRawText(), StringComparison.Ordinal);
        var hanoiLookup = await (await hanoi.GetAsync($"/api/v1/calls/lookup?phone={phone}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Empty(hanoiLookup.GetProperty("calls").EnumerateArray());
        Assert.Empty(hanoiLookup.GetProperty("reports").EnumerateArray());
        var byCode = await (await hanoi.GetAsync($"/api/v1/calls/lookup?code={code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Empty(byCode.GetProperty("reports").EnumerateArray());

        var hcmcLookup = await (await hcmc.GetAsync($"/api/v1/calls/lookup?phone={phone}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, hcmcLookup.GetProperty("calls").GetArrayLength());
        var adminRecent = await (await admin.GetAsync("/api/v1/calls?hours=24", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, adminRecent.EnumerateArray().Count(c => c.Str("callerPhone") == phone));
    }

    [Fact]
    public async Task A_phone_report_is_filed_routed_resolved_and_queued_for_a_call_back_until_the_agent_calls()
    {
        var (agent, _) = await app.SignedInAsync(StaffRoles.CallAgent, "79");
        var phone = "09" + Random.Shared.Next(10_000_000, 99_999_999);
        var filed = await (await agent.PostAsJsonAsync("/api/v1/calls/reports", new
        {
            callerPhone = phone,
            callerName = "Bà Lan",
            line = "1022-3",
            description = "Người gọi báo quán karaoke trên đường Pasteur vẫn mở cửa, hát rất to",
            address = "phường Bến Nghé, quận 1",
        }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        var code = filed.Str("code");
        Assert.True(filed.TryGetProperty("call", out _), filed.GetRawText());
        Assert.Equal("forwarded", filed.GetProperty("call").Str("outcome"));
        Assert.Equal(code, filed.GetProperty("call").Str("reportCode"));
        Assert.Equal("phone", (await (await (await app.SignedInAsync(StaffRoles.Admin, null)).Client.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).Str("channel"));
        await app.CreateClient().WaitProcessedAsync(code);

        var history = await (await agent.GetAsync($"/api/v1/calls/lookup?phone={phone[..4]} {phone[4..7]} {phone[7..]}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(code, history.GetProperty("reports")[0].Str("code"));
        Assert.Equal(code, history.GetProperty("calls")[0].Str("reportCode"));
        var recent = await (await agent.GetAsync("/api/v1/calls?hours=1", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(recent.EnumerateArray(), c => c.Str("reportCode") == code && c.Str("callerPhone") == phone && c.Str("line") == "1022-3");
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.GetAsync("/api/v1/calls?hours=500", Cancel)).StatusCode);
        var byCode = await (await agent.GetAsync($"/api/v1/calls/lookup?code={code.ToLowerInvariant()}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(code, byCode.GetProperty("reports")[0].Str("code"));

        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "760");
        await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/resolve", new { result = "Đã lập biên bản, quán đã đóng cửa lúc 21 giờ." }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var callbacks = await (await agent.GetAsync("/api/v1/calls/callbacks", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var task = callbacks.EnumerateArray().Single(t => t.Str("code") == code);
        Assert.Equal(phone, task.Str("callerPhone"));
        Assert.Equal("Đã lập biên bản, quán đã đóng cửa lúc 21 giờ.", task.Str("result"));

        // A missed call-back keeps the task; an answered one completes it.
        var now = app.Time.GetUtcNow();
        await (await agent.PostAsJsonAsync("/api/v1/calls", new { direction = "outbound", callerPhone = phone, outcome = "missed", reportCode = code, startedAt = now }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        task = (await (await agent.GetAsync("/api/v1/calls/callbacks", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray().Single(t => t.Str("code") == code);
        Assert.Equal(1, task.GetProperty("attempts").GetInt32());
        await (await agent.PostAsJsonAsync("/api/v1/calls", new { direction = "outbound", callerPhone = phone, outcome = "answered-directly", reportCode = code, startedAt = now, answeredAt = now, endedAt = now }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        callbacks = await (await agent.GetAsync("/api/v1/calls/callbacks", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(callbacks.EnumerateArray(), t => t.Str("code") == code);

        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var audit = await (await admin.GetAsync("/api/v1/staff/audit?entityType=caller", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(audit.EnumerateArray(), a => a.Str("action") == "lookup" && !a.Str("entityId").Contains(phone, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_switchboard_logs_calls_with_a_token()
    {
        var (switchboard, _) = await app.SignedInAsync(StaffRoles.CallAgent, "79");
        var now = app.Time.GetUtcNow();

        var missed = await (await switchboard.PostAsJsonAsync("/api/v1/calls", new { direction = "inbound", line = "1022", callerPhone = "+84 909 123 456", startedAt = now.AddMinutes(-2), endedAt = now.AddMinutes(-1), outcome = "missed" }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);

        Assert.Equal("0909123456", missed.Str("callerPhone"));
        Assert.Equal("missed", missed.Str("outcome"));
    }

    public static TheoryData<string, string> BadCalls => new()
    {
        { """{"direction": "sideways", "callerPhone": "0909123456", "outcome": "missed"}""", "direction" },
        { """{"direction": "inbound", "callerPhone": "12345", "outcome": "missed"}""", "callerPhone" },
        { """{"direction": "inbound", "callerPhone": "0909123456", "outcome": "hung-up"}""", "outcome" },
        { """{"direction": "inbound", "callerPhone": "0909123456", "outcome": "forwarded"}""", "reportCode" },
        { """{"direction": "inbound", "callerPhone": "0909123456", "outcome": "answered-directly", "reportCode": "ZZZZZZZZZZ"}""", "reportCode" },
        { """{"direction": "inbound", "callerPhone": "0909123456", "outcome": "missed", "startedAt": "2030-01-01T00:00:00Z"}""", "startedAt" },
        { """{"direction": "inbound", "callerPhone": "0909123456", "outcome": "missed", "startedAt": "2021-08-20T00:00:00Z", "answeredAt": "2021-08-20T00:01:00Z"}""", "answeredAt" },
        { """{"direction": "inbound", "callerPhone": "0909123456", "outcome": "answered-directly", "startedAt": "2021-08-20T00:05:00Z", "endedAt": "2021-08-20T00:01:00Z"}""", "endedAt" },
        { """{"direction": "inbound", "callerPhone": "0909123456", "outcome": "missed", "note": "<script>x</script>"}""", "note" },
    };

    [Theory]
    [MemberData(nameof(BadCalls))]
    public async Task Bad_calls_are_400_problems_naming_the_field(string json, string field)
    {
        var (agent, _) = await app.SignedInAsync(StaffRoles.CallAgent, "79");
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        var problem = await (await agent.PostAsync("/api/v1/calls", content, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task A_bad_phone_report_is_a_400_and_nothing_is_stored()
    {
        var (agent, _) = await app.SignedInAsync(StaffRoles.CallAgent, "79");

        var problem = await (await agent.PostAsJsonAsync("/api/v1/calls/reports", new { callerPhone = "0909123456", description = "ngắn", address = "quận 1" }, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("description", out _));
        var history = await (await agent.GetAsync("/api/v1/calls/lookup?phone=0909123456", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(history.GetProperty("calls").EnumerateArray(), c => c.Str("outcome") == "forwarded" && c.GetProperty("reportCode").ValueKind == System.Text.Json.JsonValueKind.Null);
    }

    [Theory]
    [InlineData(StaffRoles.UnitOfficer)]
    [InlineData(StaffRoles.Viewer)]
    public async Task Caller_phones_are_for_call_agents_and_admin_only(string role)
    {
        var (staff, _) = await app.SignedInAsync(role, "760");

        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/api/v1/calls/lookup?phone=0909123456", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/api/v1/calls/callbacks", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync("/api/v1/calls", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/api/v1/calls", new { }, Cancel)).StatusCode);
    }
}
