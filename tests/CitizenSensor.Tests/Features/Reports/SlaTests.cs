using System.Net;
using System.Net.Http.Json;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>The 5-minute and 60-minute deadlines, on a fake clock.</summary>
public sealed class SlaTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_report_without_a_result_after_60_minutes_is_escalated_to_the_triage_desk()
    {
        var client = app.CreateClient();
        var code = await client.SubmitAsync(new { description = "Quán nhậu vỉa hè tụ tập đông người uống bia", address = "phường 1, quận 3" });
        Assert.Equal("routed", (await client.WaitProcessedAsync(code)).Str("status"));
        var (triage, _) = await app.SignedInAsync(StaffRoles.CityTriage, "79");

        app.Time.Advance(TimeSpan.FromMinutes(59));
        await EscalateAsync();
        Assert.DoesNotContain(await EscalatedCodesAsync(triage), c => c == code);

        app.Time.Advance(TimeSpan.FromMinutes(2));
        await EscalateAsync();

        Assert.Contains(code, await EscalatedCodesAsync(triage));
        var detail = await (await triage.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(detail.GetProperty("notes").EnumerateArray(), n => n.Str("author") == "SLA");
        Assert.Equal("triage-desk", detail.Str("escalatedTo")); // the unit let it run late: the city's desk chases it
        var desks = await (await triage.GetAsync("/api/v1/staff/reports?show=escalated", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(desks.EnumerateArray(), r => r.Str("code") == code);
        Assert.Equal(0, await EscalateAsync()); // once only
    }

    [Fact]
    public async Task A_report_nobody_forwarded_within_5_minutes_is_escalated_to_the_administrators_not_back_to_the_desk()
    {
        var client = app.CreateClient();
        var code = await client.SubmitAsync(new { description = "Chợ tự phát họp trước cổng khu dân cư, rất đông người", lat = 10.8700, lng = 106.8030 });
        Assert.Equal("needs-triage", (await client.WaitProcessedAsync(code)).Str("status"));
        var (triage, _) = await app.SignedInAsync(StaffRoles.CityTriage, "79");

        app.Time.Advance(TimeSpan.FromMinutes(6));
        await EscalateAsync();

        Assert.Contains(code, await EscalatedCodesAsync(triage));
        var detail = await (await triage.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("administrators", detail.Str("escalatedTo"));
        Assert.Contains(detail.GetProperty("notes").EnumerateArray(), n => n.Str("author") == "SLA" && n.Str("text").Contains("administrators", StringComparison.Ordinal));

        // It is in the administrators' "escalated to me" list, not back in the desk's.
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var mine = await (await admin.GetAsync("/api/v1/staff/reports?show=escalated", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(mine.EnumerateArray(), r => r.Str("code") == code);
        var desks = await (await triage.GetAsync("/api/v1/staff/reports?show=escalated", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(desks.EnumerateArray(), r => r.Str("code") == code);

        // Routed by an administrator, it leaves the escalation behind; the page says in words to whom it went before.
        var page = await StaffPages.SignInAsync(app, (await app.CreateStaffAsync(StaffRoles.Admin, null)).Email!);
        var html = await page.Client.GetStringAsync($"/staff/reports/{code}", Cancel);
        Assert.Contains("data-to=\"administrators\"", html, StringComparison.Ordinal);
        await (await admin.PostAsJsonAsync($"/api/v1/staff/reports/{code}/route", new { unitCode = "770", version = detail.GetProperty("version").GetInt32() }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var routed = await (await triage.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, routed.GetProperty("escalatedTo").ValueKind);
    }

    [Fact]
    public async Task On_time_rates_count_results_before_and_after_the_due_time_and_leave_rejected_reports_out()
    {
        var client = app.CreateClient();
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "764");
        var onTime = await client.SubmitAsync(new { description = "Quán cà phê ở Gò Vấp cho khách ngồi tại chỗ", address = "P.12, Q. Gò Vấp" });
        var late = await client.SubmitAsync(new { description = "Tiệm tóc ở Gò Vấp vẫn mở cửa cắt tóc cho khách", address = "P.12, Q. Gò Vấp" });
        var invalid = await client.SubmitAsync(new { description = "Quán karaoke ở Gò Vấp hát to, đã đóng cửa từ tháng trước", address = "P.12, Q. Gò Vấp" });
        await client.WaitProcessedAsync(onTime);
        await client.WaitProcessedAsync(late);
        await client.WaitProcessedAsync(invalid);

        // An invalid report has no result to give: it is not late, whenever it is rejected.
        await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{invalid}/reject", new { reason = "invalid", note = "Quán đã đóng cửa" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{onTime}/resolve", new { result = "Đã kiểm tra và nhắc nhở chủ quán, quán đã đóng cửa" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        app.Time.Advance(TimeSpan.FromMinutes(90));
        await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{late}/resolve", new { result = "Đã xử phạt hành chính và yêu cầu đóng cửa tiệm" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        var figures = await (await officer.GetAsync("/api/v1/staff/sla", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        var goVap = Assert.Single(figures.GetProperty("byUnit").EnumerateArray());
        Assert.Equal("764", goVap.Str("key"));
        Assert.Equal(3, goVap.GetProperty("handled").GetInt32());
        Assert.Equal(1, goVap.GetProperty("rejected").GetInt32());
        Assert.Equal(1, goVap.GetProperty("resolvedOnTime").GetInt32());
        Assert.Equal(0.5, goVap.GetProperty("resolveRate").GetDouble());
        Assert.Equal(1.0, goVap.GetProperty("forwardRate").GetDouble());
    }

    private Task<int> EscalateAsync() => app.Services.GetRequiredService<SlaMonitor>().RunOnceAsync(Cancel);

    private static async Task<List<string>> EscalatedCodesAsync(HttpClient client) =>
        [.. (await (await client.GetAsync("/api/v1/staff/reports?escalated=true", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray().Select(r => r.Str("code"))];
}
