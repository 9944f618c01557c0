using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using CitizenSensor.Tests.Features.Venues;

namespace CitizenSensor.Tests.Features.Tracing;

/// <summary>A lab's list as CSV: every row checked first, all or nothing, each bad line and field named, known rows skipped on a second import.</summary>
public sealed class CaseImportTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient officer, string csv) =>
        await officer.PostAsync("/api/v1/tracing/cases/import", new StringContent(csv, Encoding.UTF8, "text/csv"), Cancel);

    private async Task<int> CasesInAuditAsync()
    {
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var audit = await (await admin.GetAsync("/api/v1/staff/audit?entityType=case&limit=1000", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        return audit.EnumerateArray().Count(e => e.Str("action") == "case.open");
    }

    [Fact]
    public async Task A_bad_row_imports_nothing_and_names_its_line_and_field_and_a_second_import_skips_known_rows()
    {
        var (officer, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, Timeline.Ward);
        var today = CityTime.DayOf(app.Time.GetUtcNow());
        var (a, b, c) = (VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone());
        var good = $"""
            phone,name,citizen_id,test_date,onset_date,isolation,facility,ward
            {a},Nguyễn Văn An,001190012345,{today:yyyy-MM-dd},,home,,{Timeline.Ward}
            "{b}","Lê Thị Bích, cô giáo",,{today:dd/MM/yyyy},{today.AddDays(-2):yyyy-MM-dd},facility,Bệnh viện dã chiến số 2,{Timeline.Ward}
            """;
        var bad = good + $"""

            12345,<script>alert(1)</script>,12ab,2031-01-01,,hotel,,26734
            {c},Trần Văn Cường,,yesterday,,home,,{Timeline.Ward}
            """;
        var before = await CasesInAuditAsync();
        var refused = await (await ImportAsync(officer, bad)).ReadProblemAsync(HttpStatusCode.BadRequest);
        var errors = refused.GetProperty("errors");
        foreach (var field in new[] { "line 4: phone", "line 4: name", "line 4: citizen_id", "line 4: test_date", "line 4: isolation", "line 4: ward", "line 5: test_date" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field + " in " + errors.GetRawText());
        }

        Assert.False(errors.TryGetProperty("line 2: phone", out _));
        Assert.Equal(before, await CasesInAuditAsync()); // nothing kept

        var imported = await (await ImportAsync(officer, good)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, imported.GetProperty("imported").GetInt32());
        var ids = imported.GetProperty("cases").EnumerateArray().Select(i => i.GetInt64()).ToList();
        var second = await (await officer.GetAsync($"/api/v1/tracing/cases/{ids[1]}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("facility", second.Str("isolation"));
        Assert.Equal("Bệnh viện dã chiến số 2", second.Str("facility"));
        Assert.Equal(today.AddDays(-2), DateOnly.Parse(second.Str("onsetDate")!, System.Globalization.CultureInfo.InvariantCulture));
        var identity = await (await officer.GetAsync($"/api/v1/tracing/cases/{ids[1]}/identity?reason=" + Uri.EscapeDataString("Kiểm tra danh sách xét nghiệm"), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Lê Thị Bích, cô giáo", identity.Str("name"));

        // The lab sends its list again with one more row, and a row repeated.
        var again = await (await ImportAsync(officer, good + $"\n{c},Trần Văn Cường,,{today:yyyy-MM-dd},,home,,{Timeline.Ward}\n{c},Trần Văn Cường,,{today:yyyy-MM-dd},,home,,{Timeline.Ward}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, again.GetProperty("imported").GetInt32());
        Assert.Equal(3, again.GetProperty("skipped").GetInt32());
        Assert.Contains(again.GetProperty("skippedLines").EnumerateArray(), s => s.GetProperty("line").GetInt32() == 5 && s.Str("reason")!.Contains("line 4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unreadable_files_are_refused_with_the_reason()
    {
        var (officer, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, Timeline.Ward);
        Assert.Contains("ward", (await (await ImportAsync(officer, "phone,name,test_date\n0912345678,A,2021-08-19")).ReadProblemAsync(HttpStatusCode.BadRequest))
            .GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        await (await ImportAsync(officer, "")).ReadProblemAsync(HttpStatusCode.BadRequest);
        await (await ImportAsync(officer, "phone,name,test_date,ward\n")).ReadProblemAsync(HttpStatusCode.BadRequest);
        await (await ImportAsync(officer, "phone,name,test_date,ward\n\"0912345678,\0broken")).ReadProblemAsync(HttpStatusCode.BadRequest);
        var big = new StringContent(new string('x', 3 * 1024 * 1024), Encoding.UTF8, "text/csv");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await officer.PostAsync("/api/v1/tracing/cases/import", big, Cancel)).StatusCode);
        var (viewer, _) = await app.SignedInAsync(StaffRoles.Viewer, Timeline.Ward);
        Assert.Equal(HttpStatusCode.Forbidden, (await ImportAsync(viewer, "phone,name,test_date,ward\n")).StatusCode);
    }

    [Fact]
    public async Task A_cases_status_and_isolation_change_with_an_audit_entry_and_stale_changes_are_refused()
    {
        var (officer, id) = await app.OpenCaseAsync(VenueClient.NewPhone());
        var bad = await (await officer.PatchAsJsonAsync($"/api/v1/tracing/cases/{id}", new { status = "cured", isolation = "facility" }, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("status", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("facility", out _));

        var moved = await (await officer.PatchAsJsonAsync($"/api/v1/tracing/cases/{id}", new { isolation = "facility", facility = "Bệnh viện Thanh Nhàn", revision = 0 }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("facility", moved.Str("isolation"));
        Assert.Equal("active", moved.Str("status"));
        await (await officer.PatchAsJsonAsync($"/api/v1/tracing/cases/{id}", new { status = "recovered", revision = 0 }, Cancel)).ReadProblemAsync(HttpStatusCode.Conflict);
        var recovered = await (await officer.PatchAsJsonAsync($"/api/v1/tracing/cases/{id}", new { status = "recovered", revision = 1 }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("recovered", recovered.Str("status"));
        Assert.Equal("Bệnh viện Thanh Nhàn", recovered.Str("facility"));

        await (await officer.PatchAsJsonAsync($"/api/v1/tracing/cases/{id}", new { ward = "00004" }, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest); // not their ward
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var audit = await (await admin.GetAsync($"/api/v1/staff/audit?entityType=case&entityId={id}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var update = audit.EnumerateArray().First(e => e.Str("action") == "case.update");
        Assert.Equal("recovered", JsonDocument.Parse(update.Str("after")!).RootElement.Str("status"));
        Assert.Equal("active", JsonDocument.Parse(update.Str("before")!).RootElement.Str("status"));
    }
}
