using System.Net;
using System.Net.Http.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Data;

/// <summary>
/// A reporter's contact is erased 90 days (Reports:ReporterRetention:Days) after the last change to a finished report;
/// the report and its figures stay, unfinished reports keep their contact, and the console no longer finds the phone.
/// </summary>
public sealed class ReporterRetentionTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_contact_of_a_finished_report_is_erased_when_its_retention_ends_and_the_report_stays()
    {
        var phone = "09" + Random.Shared.Next(10_000_000, 99_999_999);
        var client = app.CreateClient();
        async Task<string> FileAsync(string description) => (await (await client.PostAsJsonAsync("/api/v1/reports", new
        {
            description,
            address = "45 Lê Lợi, phường Bến Thành, quận 1",
            reporter = new { name = "Lê Văn Hai", phone, email = "hai@example.org" },
        }, Cancel)).ReadJsonAsync(HttpStatusCode.Created)).Str("code");
        var finished = await FileAsync("Đèn đường trước số 45 Lê Lợi bị hỏng, tối om cả đoạn");
        var open = await FileAsync("Nắp cống trước số 47 Lê Lợi bị vỡ, rất nguy hiểm cho xe máy");
        await client.WaitProcessedAsync(finished);
        await client.WaitProcessedAsync(open);

        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "760");
        await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{finished}/resolve", new { result = "Đã thay bóng đèn mới." }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var retention = app.Services.GetRequiredService<ReporterRetention>();

        // The hourly job also wakes when the test's clock moves, so the state is checked, not who erased it.
        app.Time.Advance(TimeSpan.FromDays(89));
        await retention.RunOnceAsync(Cancel);
        var (triage, _) = await app.SignedInAsync(StaffRoles.Admin, null); // sessions do not last 89 days
        var early = await (await triage.GetAsync($"/api/v1/staff/reports/{finished}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(phone, early.GetProperty("reporter").Str("phone"));
        app.Time.Advance(TimeSpan.FromDays(2));
        await retention.RunOnceAsync(Cancel);
        Assert.Equal(0, await retention.RunOnceAsync(Cancel)); // idempotent
        (triage, _) = await app.SignedInAsync(StaffRoles.Admin, null);

        var erased = await (await triage.GetAsync($"/api/v1/staff/reports/{finished}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("resolved", erased.Str("status"));
        Assert.False(erased.TryGetProperty("reporter", out var contact) && contact.ValueKind != JsonValueKindNull, erased.GetRawText());
        Assert.Equal("Đã thay bóng đèn mới.", erased.Str("result"));
        var kept = await (await triage.GetAsync($"/api/v1/staff/reports/{open}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(phone, kept.GetProperty("reporter").Str("phone"));

        var lookup = await (await triage.GetAsync($"/api/v1/calls/lookup?phone={phone}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([open], lookup.GetProperty("reports").EnumerateArray().Select(r => r.Str("code")));

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var row = await db.Reports.IgnoreQueryFilters().AsNoTracking().SingleAsync(r => r.Code == finished, Cancel);
        Assert.InRange(row.ReporterErasedAt!.Value, app.Time.GetUtcNow().AddDays(-2), app.Time.GetUtcNow());
        Assert.Null(row.SealedChannelAddress);
        Assert.Null(row.ReporterPhoneHash);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
