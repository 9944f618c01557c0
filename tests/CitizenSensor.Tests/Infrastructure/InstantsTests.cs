using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CitizenSensor.Data;
using CitizenSensor.Data.Migrations.Sqlite;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Channels;
using CitizenSensor.Tests.Features.Reports;
using CitizenSensor.Tests.Features.Venues;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CitizenSensor.Tests.Infrastructure;

/// <summary>
/// Instants are instants on both databases: every filter and every write that takes a date-time answers the same
/// whether the client wrote it in UTC (<c>Z</c>) or in the city's offset (<c>+07:00</c>).
/// </summary>
public sealed class InstantsTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static readonly TimeSpan CityOffset = TimeSpan.FromHours(7);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The instant as a W3C date-time in UTC ("Z") or at +07:00, escaped for a query string.</summary>
    private static string Utc(DateTimeOffset at) => Uri.EscapeDataString(at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    private static string Local(DateTimeOffset at) => Uri.EscapeDataString(at.ToOffset(CityOffset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));

    [Fact]
    public async Task Open311_requests_and_updates_give_the_same_window_for_Z_and_plus_seven()
    {
        var key = await app.IssueKeyAsync();
        var codes = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var posted = await (await app.CreateClient().PostRequestAsync("json", new Dictionary<string, string>
            {
                ["api_key"] = key,
                ["service_code"] = "public-order",
                ["address_string"] = "phường Bến Nghé, quận 1",
                ["description"] = $"Nhóm thanh niên tụ tập nhậu nhẹt, hát karaoke ồn ào lần {i + 1}",
            })).ReadJsonAsync(HttpStatusCode.Created);
            codes.Add(posted[0].Str("service_request_id"));
            var processed = await app.CreateClient().WaitProcessedAsync(codes[^1]);
            Assert.Equal("routed", processed.Str("status"));
        }

        var now = app.Time.GetUtcNow();
        var client = app.CreateClient();
        foreach (var path in new[] { "requests", "servicerequestupdates" })
        {
            async Task<HashSet<string>> CodesAsync(Func<DateTimeOffset, string> write, DateTimeOffset start, DateTimeOffset end)
            {
                var answer = await (await client.GetAsync($"/open311/v2/{path}.json?start_date={write(start)}&end_date={write(end)}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
                return [.. answer.EnumerateArray().Select(r => r.Str("service_request_id"))];
            }

            var around = (now.AddMinutes(-1), now.AddMinutes(1));
            var inUtc = await CodesAsync(Utc, around.Item1, around.Item2);
            Assert.Superset(codes.ToHashSet(), inUtc);
            Assert.Equal(inUtc, await CodesAsync(Local, around.Item1, around.Item2));

            var after = (now.AddMinutes(1), now.AddHours(10));
            Assert.Empty(await CodesAsync(Utc, after.Item1, after.Item2));
            Assert.Empty(await CodesAsync(Local, after.Item1, after.Item2));

            var before = (now.AddHours(-10), now.AddMinutes(-1));
            Assert.Empty((await CodesAsync(Utc, before.Item1, before.Item2)).Intersect(codes));
            Assert.Empty((await CodesAsync(Local, before.Item1, before.Item2)).Intersect(codes));
        }
    }

    [Fact]
    public async Task Check_in_and_check_out_times_compare_as_instants_whatever_their_offsets()
    {
        var client = app.CreateClient();
        var code = (await client.RegisterAsync()).Str("code");
        var now = app.Time.GetUtcNow();
        var (inLocal, inUtc) = (VenueClient.NewPhone(), VenueClient.NewPhone());
        var cameAt = now.AddHours(-1);
        var leftAt = now.AddMinutes(-30);

        // Came in written at +07:00 and left in UTC, and the other way round: each check-out finds its check-in.
        foreach (var (phone, came, left) in new[] { (inLocal, cameAt.ToOffset(CityOffset), leftAt.ToUniversalTime()), (inUtc, cameAt.ToUniversalTime(), leftAt.ToOffset(CityOffset)) })
        {
            var receipt = (await (await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = code, phone, at = came }, Cancel)).ReadJsonAsync(HttpStatusCode.Created)).Str("receipt");
            var closed = await (await client.PostAsJsonAsync("/api/v1/checkins/checkout", new { venueCode = code, phone, receipt, at = left }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal(cameAt.UtcTicks / TimeSpan.TicksPerSecond, closed.GetProperty("at").GetDateTimeOffset().UtcTicks / TimeSpan.TicksPerSecond);
        }

        // A check-out before the check-in (as an instant) finds nothing, however it is written.
        var early = VenueClient.NewPhone();
        var earlyReceipt = (await (await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = code, phone = early, at = cameAt.ToUniversalTime() }, Cancel)).ReadJsonAsync(HttpStatusCode.Created)).Str("receipt");
        await (await client.PostAsJsonAsync("/api/v1/checkins/checkout", new { venueCode = code, phone = early, receipt = earlyReceipt, at = cameAt.AddMinutes(-5).ToOffset(CityOffset) }, Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_token_expiry_written_at_plus_seven_is_stored_as_the_same_instant()
    {
        var user = await app.CreateStaffAsync(StaffRoles.CallAgent, "79");
        var expires = app.Time.GetUtcNow().AddDays(3).AddTicks(-app.Time.GetUtcNow().Ticks % TimeSpan.TicksPerSecond);
        var created = await (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens",
            new { email = user.Email, password = CitizenApp.Password, name = "máy trạm", expiresAt = expires.ToOffset(CityOffset) }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);

        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Str("token"));
        var listed = Assert.Single((await (await client.GetAsync("/api/v1/auth/tokens", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(expires, listed.GetProperty("expiresAt").GetDateTimeOffset());
    }

    /// <summary>
    /// The migration rewrites values in the old encoding (local ticks and offset) as UTC ticks: rows written before it
    /// read back through EF as the same instants, in the right order.
    /// </summary>
    [Fact]
    public async Task The_migration_turns_the_old_local_ticks_encoding_into_utc_ticks()
    {
        // The old encoding existed on SQLite only (PostgreSQL always stored timestamptz in UTC), so this runs on SQLite
        // in both suites.
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var db = new SqliteCitizenDb(new DbContextOptionsBuilder<SqliteCitizenDb>().UseSqlite(database.ConnectionString).Options);
        var migrations = db.Database.GetMigrations().ToList();
        var ours = migrations.FindIndex(m => m.EndsWith("_InstantsAsUtcTicks", StringComparison.Ordinal));
        await db.GetService<IMigrator>().MigrateAsync(migrations[ours - 1], Cancel);

        var instant = new DateTimeOffset(2026, 12, 2, 17, 40, 0, TimeSpan.Zero);
        var old = new DateTimeOffsetToBinaryConverter();
        var written = new[] { instant.ToOffset(CityOffset), instant.AddMinutes(-1), instant.AddMinutes(1).ToOffset(TimeSpan.FromHours(-5)) };
        foreach (var (at, i) in written.Select((at, i) => (at, i)))
        {
            var encoded = (long)old.ConvertToProvider(at)!;
            await db.Database.ExecuteSqlAsync($"INSERT INTO AuditEntries (Action, Actor, At, EntityId, EntityType) VALUES ('old', 'test', {encoded}, {i.ToString(CultureInfo.InvariantCulture)}, 'Row')", Cancel);
        }

        await db.Database.MigrateAsync(Cancel);

        var read = await db.Set<AuditEntry>().AsNoTracking().OrderBy(a => a.At).Select(a => new { a.EntityId, a.At }).ToListAsync(Cancel);
        Assert.Equal(["1", "0", "2"], read.Select(r => r.EntityId));
        Assert.Equal(written.Select(w => w.UtcDateTime).Order(), read.Select(r => r.At.UtcDateTime));
        Assert.All(read, r => Assert.Equal(TimeSpan.Zero, r.At.Offset));
        Assert.Equal(1, await db.Set<AuditEntry>().CountAsync(a => a.At >= instant.ToOffset(CityOffset) && a.At < instant.AddSeconds(1), Cancel));
        Assert.Contains(("AuditEntries", "At"), InstantsAsUtcTicks.Columns);
    }
}
