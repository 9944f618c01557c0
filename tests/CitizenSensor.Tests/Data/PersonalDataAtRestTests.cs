using System.Net;
using System.Net.Http.Json;
using System.Text;
using CitizenSensor.Data;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Data;

/// <summary>
/// Reporters' names, phones and e-mails, reports' channel addresses, venue owners' names and phones and callers'
/// phones are sealed at rest: no column of their rows (nor the audit or the outbox) holds them in clear, and the
/// roles that need them still see them, and the call console still finds a caller by phone.
/// </summary>
public sealed class PersonalDataAtRestTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_web_reporters_contact_is_sealed_and_opened_for_the_desk_that_may_see_it()
    {
        var phone = "09" + Random.Shared.Next(10_000_000, 99_999_999);
        var email = $"lan.{Guid.NewGuid():N}@example.org";
        var name = "Nguyễn Thị Lan " + Guid.NewGuid().ToString("N")[..6];
        var client = app.CreateClient();
        var code = (await (await client.PostAsJsonAsync("/api/v1/reports", new
        {
            description = "Rác thải đổ trộm ở đầu hẻm 45 Lê Lợi đã ba ngày chưa ai dọn",
            address = "45 Lê Lợi, phường Bến Thành, quận 1",
            reporter = new { name, phone = phone[..4] + " " + phone[4..], email },
        }, Cancel)).ReadJsonAsync(HttpStatusCode.Created)).Str("code");
        await client.WaitProcessedAsync(code);

        await AssertNowhereInClearAsync([phone, email, name, "Lan " + name[^6..]]);

        var (triage, _) = await app.SignedInAsync(StaffRoles.CityTriage, "79");
        var reporter = (await (await triage.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("reporter");
        Assert.Equal((name, phone, email), (reporter.Str("name"), reporter.Str("phone"), reporter.Str("email")));
        var (agent, _) = await app.SignedInAsync(StaffRoles.CallAgent, "79");
        var found = await (await agent.GetAsync($"/api/v1/calls/lookup?phone={phone}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(found.GetProperty("reports").EnumerateArray(), r => r.Str("code") == code);
    }

    [Fact]
    public async Task A_callers_phone_and_name_are_sealed_and_the_console_still_finds_the_caller()
    {
        var phone = "09" + Random.Shared.Next(10_000_000, 99_999_999);
        var name = "Ông Bảy " + Guid.NewGuid().ToString("N")[..6];
        var (agent, _) = await app.SignedInAsync(StaffRoles.CallAgent, "79");
        var code = (await (await agent.PostAsJsonAsync("/api/v1/calls/reports", new
        {
            callerPhone = phone,
            callerName = name,
            description = "Người gọi báo cây đổ chắn ngang đường Nguyễn Huệ sau cơn mưa",
            address = "phường Bến Nghé, quận 1",
        }, Cancel)).ReadJsonAsync(HttpStatusCode.Created)).Str("code");
        await (await agent.PostAsJsonAsync("/api/v1/calls", new { direction = "inbound", callerPhone = phone, outcome = "answered-directly" }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);

        await AssertNowhereInClearAsync([phone, name]);

        var found = await (await agent.GetAsync($"/api/v1/calls/lookup?phone={phone}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(code, Assert.Single(found.GetProperty("reports").EnumerateArray()).Str("code"));
        Assert.Equal(2, found.GetProperty("calls").GetArrayLength());
        Assert.All(found.GetProperty("calls").EnumerateArray(), c => Assert.Equal(phone, c.Str("callerPhone")));
    }

    [Fact]
    public async Task A_venue_owners_name_and_phone_are_sealed_and_shown_to_the_wards_officer()
    {
        var phone = "09" + Random.Shared.Next(10_000_000, 99_999_999);
        var owner = "Trần Văn Tư " + Guid.NewGuid().ToString("N")[..6];
        var registered = await (await app.CreateClient().PostAsJsonAsync("/api/v1/venues", new
        {
            name = "Quán bún chả Cô Ba",
            kind = "restaurant",
            address = "12 Phúc Xá, Ba Đình",
            wardCode = "00001",
            ownerName = owner,
            ownerPhone = phone,
        }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);

        await AssertNowhereInClearAsync([phone, owner]);

        var (officer, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var venue = await (await officer.GetAsync($"/api/v1/staff/venues/{registered.Str("code")}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal((owner, phone), (venue.Str("ownerName"), venue.Str("ownerPhone")));
    }

    /// <summary>Reads every column of every row of the tables that hold personal data, and the audit and the outbox.</summary>
    private async Task AssertNowhereInClearAsync(string[] secrets)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(Cancel);
        foreach (var table in new[] { "Reports", "Calls", "Venues", "AuditEntries", "WebhookDeliveries", "ReportEvents", "ReportNotes" })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync(Cancel);
            while (await reader.ReadAsync(Cancel))
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var text = reader.IsDBNull(i) ? "" : reader.GetValue(i) switch
                    {
                        byte[] bytes => Encoding.UTF8.GetString(bytes),
                        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    };
                    foreach (var secret in secrets)
                    {
                        Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{table}.{reader.GetName(i)} holds '{secret}' in clear");
                    }
                }
            }
        }
    }
}
