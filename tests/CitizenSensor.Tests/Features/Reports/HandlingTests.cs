using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenSensor.Features.Staff;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>Officers and dispatchers at work: queue, accept, resolve, send back, re-route, audit, scope.</summary>
public sealed class HandlingTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private const string Quan1 = "760";
    private const string Quan3 = "770";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_officer_accepts_and_resolves_a_report_and_the_citizen_sees_the_result()
    {
        var code = await RoutedReportAsync("phường Bến Nghé, quận 1", Quan1);
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);

        var queue = await (await officer.GetAsync("/api/v1/staff/reports", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(queue.EnumerateArray(), r => r.Str("code") == code);

        var accepted = await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/accept", new { version = 0 }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("in-progress", accepted.Str("status"));

        var ward = await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/ward", new { wardCode = "26740" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("26740", ward.GetProperty("ward").Str("code"));

        await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/notes", new { text = "Tổ công tác phường đã đến kiểm tra lúc 9h" }, Cancel);
        var resolved = await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/resolve",
            new { result = "Đã kiểm tra, lập biên bản và xử phạt chủ quán 15.000.000 đồng, tạm đình chỉ kinh doanh.", fineVnd = 15_000_000, suspendBusiness = true }, Cancel))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("resolved", resolved.Str("status"));
        Assert.Equal(15_000_000, resolved.GetProperty("fineVnd").GetInt64());
        Assert.Equal("Tổ công tác phường đã đến kiểm tra lúc 9h", Assert.Single(resolved.GetProperty("notes").EnumerateArray()).Str("text"));

        var citizen = await (await app.CreateClient().GetAsync($"/api/v1/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("resolved", citizen.Str("status"));
        Assert.StartsWith("Đã kiểm tra", citizen.Str("result"), StringComparison.Ordinal);
        Assert.Equal(["received", "routed", "in-progress", "resolved"], citizen.GetProperty("history").EnumerateArray().Select(h => h.Str("status")));
        Assert.DoesNotContain("Tổ công tác", citizen.GetRawText(), StringComparison.Ordinal); // internal notes stay internal
    }

    [Fact]
    public async Task Another_districts_officer_cannot_see_or_touch_the_report()
    {
        var code = await RoutedReportAsync("phường Bến Nghé, quận 1", Quan1);
        var (quan3, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan3);

        var queue = await (await quan3.GetAsync("/api/v1/staff/reports", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(queue.EnumerateArray(), r => r.Str("code") == code);
        await (await quan3.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await quan3.PostAsJsonAsync($"/api/v1/staff/reports/{code}/accept", new { }, Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await quan3.PostAsJsonAsync($"/api/v1/staff/reports/{code}/resolve", new { result = "Không phải của chúng tôi nhưng cứ đóng" }, Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);

        var citizen = await (await app.CreateClient().GetAsync($"/api/v1/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("routed", citizen.Str("status"));
    }

    [Fact]
    public async Task A_stale_version_is_a_409_and_changes_nothing()
    {
        var code = await RoutedReportAsync("phường Bến Nghé, quận 1", Quan1);
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);
        await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/accept", new { version = 0 }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        var stale = await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/resolve", new { result = "Kết quả dựa trên phiên bản cũ của phản ánh", version = 0 }, Cancel);

        await stale.ReadProblemAsync(HttpStatusCode.Conflict);
        var detail = await (await officer.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("in-progress", detail.Str("status"));
    }

    [Fact]
    public async Task Not_ours_goes_back_to_triage_which_reroutes_it_with_a_corrected_category()
    {
        var code = await RoutedReportAsync("phường Bến Nghé, quận 1", Quan1);
        var (quan1, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);
        var (triage, _) = await app.SignedInAsync(StaffRoles.CityTriage, "79");
        var (quan3, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan3);

        var back = await (await quan1.PostAsJsonAsync($"/api/v1/staff/reports/{code}/reject", new { reason = "not-ours", note = "Địa chỉ thực tế thuộc Quận 3" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("needs-triage", back.Str("status"));
        await (await quan1.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);

        var triageQueue = await (await triage.GetAsync("/api/v1/staff/reports?status=needs-triage", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(triageQueue.EnumerateArray(), r => r.Str("code") == code && r.Str("triageReason").Contains("Quận 3", StringComparison.Ordinal));

        var rerouted = await (await triage.PostAsJsonAsync($"/api/v1/staff/reports/{code}/route", new { unitCode = Quan3, category = "public-order" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("routed", rerouted.Str("status"));
        Assert.Equal(Quan3, rerouted.GetProperty("unit").Str("code"));
        Assert.Equal("public-order", rerouted.GetProperty("category").Str("code"));

        Assert.Equal(HttpStatusCode.OK, (await quan3.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).StatusCode);
        var corrections = await (await triage.GetAsync("/api/v1/staff/category-corrections", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(corrections.EnumerateArray(), c => c.Str("to") == "public-order" && c.Str("from") == "business");
        var (haNoi, _) = await app.SignedInAsync(StaffRoles.CityTriage, "01");
        var elsewhere = await (await haNoi.GetAsync("/api/v1/staff/category-corrections", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(elsewhere.EnumerateArray(), c => c.Str("description") == rerouted.Str("description"));
    }

    [Fact]
    public async Task A_duplicate_is_merged_into_the_original_and_gets_its_result()
    {
        var original = await RoutedReportAsync("phường Bến Nghé, quận 1", Quan1);
        var copy = await RoutedReportAsync("phường Bến Nghé, quận 1", Quan1);
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);

        var bad = await officer.PostAsJsonAsync($"/api/v1/staff/reports/{copy}/reject", new { reason = "duplicate", duplicateOf = "NOSUCHCODE" }, Cancel);
        Assert.True((await bad.ReadProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("duplicateOf", out _));

        var rejected = await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{copy}/reject", new { reason = "duplicate", duplicateOf = original }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("rejected", rejected.Str("status"));
        Assert.Equal(original, rejected.Str("duplicateOf"));
        var citizen = await (await app.CreateClient().GetAsync($"/api/v1/reports/{copy}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(original, citizen.GetProperty("history").EnumerateArray().Last().Str("note"));
        Assert.Equal(original, citizen.Str("duplicateOf"));
        Assert.Contains($"href=\"/r/{original}\"", await app.CreateClient().GetStringAsync($"/r/{copy}", Cancel), StringComparison.Ordinal);

        // The original's result reaches the resident of the merged report too.
        await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{original}/resolve", new { result = "Đã kiểm tra, yêu cầu quán chỉ bán mang về và xử phạt." }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        citizen = await (await app.CreateClient().GetAsync($"/api/v1/reports/{copy}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("resolved", citizen.Str("status"));
        Assert.Equal("Đã kiểm tra, yêu cầu quán chỉ bán mang về và xử phạt.", citizen.Str("result"));
        Assert.Equal(["received", "routed", "rejected", "resolved"], citizen.GetProperty("history").EnumerateArray().Select(e => e.Str("status")));
    }

    [Theory]
    [InlineData("ngắn", "result")]
    [InlineData("<script>alert(1)</script> đã xử lý xong", "result")]
    public async Task A_bad_result_is_a_400_and_the_report_stays_open(string result, string field)
    {
        var code = await RoutedReportAsync("phường Bến Nghé, quận 1", Quan1);
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);

        var response = await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/resolve", new { result }, Cancel);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").EnumerateObject().Any(e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase)), problem.GetRawText());
        var detail = await (await officer.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("routed", detail.Str("status"));
    }

    [Fact]
    public async Task Reporter_details_are_shown_to_officers_not_viewers_and_each_look_is_audited()
    {
        var client = app.CreateClient();
        var code = await client.SubmitAsync(new
        {
            description = "Quán nhậu tụ tập hát karaoke đến 2 giờ sáng, rất ồn",
            address = "phường Bến Nghé, quận 1",
            reporter = new { name = "Trần Văn Bình", phone = "0912 345 678" },
        });
        await client.WaitProcessedAsync(code);
        var (officer, officerUser) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);
        var (viewer, _) = await app.SignedInAsync(StaffRoles.Viewer, "79");
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);

        var seen = await (await officer.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("0912345678", seen.GetProperty("reporter").Str("phone"));
        var hidden = await (await viewer.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, hidden.GetProperty("reporter").ValueKind);

        var trail = await (await admin.GetAsync($"/api/v1/staff/audit?entityType=report&entityId={code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var look = Assert.Single(trail.EnumerateArray(), a => a.Str("action") == "view-personal-data");
        Assert.Equal(officerUser.Email, look.Str("actor"));
    }

    [Fact]
    public async Task Every_change_is_in_the_audit_trail_with_before_and_after()
    {
        var code = await RoutedReportAsync("phường Bến Nghé, quận 1", Quan1);
        var (officer, officerUser) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/accept", new { }, Cancel);

        var trail = await (await admin.GetAsync($"/api/v1/staff/audit?entityType=report&entityId={code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        var accept = Assert.Single(trail.EnumerateArray(), a => a.Str("action") == "accept");
        Assert.Equal(officerUser.Email, accept.Str("actor"));
        Assert.Contains("\"status\":\"routed\"", accept.Str("before"), StringComparison.Ordinal);
        Assert.Contains("\"status\":\"in-progress\"", accept.Str("after"), StringComparison.Ordinal);
        await (await officer.GetAsync("/api/v1/staff/audit", Cancel)).ReadProblemAsync(HttpStatusCode.Forbidden);
    }

    private async Task<string> RoutedReportAsync(string address, string expectedUnit)
    {
        var client = app.CreateClient();
        var code = await client.SubmitAsync(new { description = "Quán cà phê vẫn mở cửa cho khách ngồi uống tại chỗ, không quét mã QR", address });
        var report = await client.WaitProcessedAsync(code);
        Assert.Equal("routed", report.Str("status"));
        Assert.Equal(expectedUnit, report.GetProperty("unit").Str("code"));
        return code;
    }
}
