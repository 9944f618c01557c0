using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Venues;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Venues;

/// <summary>Check-ins over HTTP: one and in batches, duplicates, every refusal, sealed phones, passes, check-out, retention.</summary>
public sealed class CheckInTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<JsonElement> TraceAsync(string phone)
    {
        var (health, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, "01");
        return await (await health.GetAsync($"/api/v1/staff/checkins?phone={phone}&days=30", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_check_in_is_stored_once_per_person_venue_and_minute_and_found_by_the_phone()
    {
        var client = app.CreateClient();
        var venue = await client.RegisterAsync();
        var code = venue.Str("code");
        var phone = VenueClient.NewPhone();
        var first = await (await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = code, phone, name = "Trần Thị Bình" }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.False(first.GetProperty("duplicate").GetBoolean());
        Assert.Equal(venue.Str("code"), first.Str("venueCode"));
        var again = await (await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = code.ToLowerInvariant(), phone = "+84 " + phone[1..] }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.True(again.GetProperty("duplicate").GetBoolean());
        var later = app.Time.GetUtcNow().AddMinutes(-5);
        await (await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = code, phone, at = later }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);

        var found = await TraceAsync(phone);
        Assert.Equal(2, found.GetArrayLength());
        Assert.Equal("Trần Thị Bình", found[0].Str("name"));
        Assert.Equal(code, found[0].Str("venueCode"));
        Assert.Equal("api", found[0].Str("source"));

        // Stored sealed: neither the phone nor the name is readable in the database.
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var rows = await db.Set<CheckIn>().AsNoTracking().Where(c => c.VenueId == db.Venues.Single(v => v.Code == code).Id).ToListAsync(Cancel);
        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
        {
            Assert.DoesNotContain(phone, System.Text.Encoding.UTF8.GetString(row.Phone), StringComparison.Ordinal);
            Assert.DoesNotContain(phone[3..], Convert.ToHexString(row.Phone), StringComparison.Ordinal);
            Assert.Equal(32, row.PhoneHash.Length);
        }

        Assert.Equal(2, await db.Set<VenueDay>().Where(d => d.VenueId == rows[0].VenueId).SumAsync(d => d.Scans, Cancel));
        var (viewer, _) = await app.SignedInAsync(StaffRoles.Viewer, "01");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync($"/api/v1/staff/checkins?phone={phone}", Cancel)).StatusCode);
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var audit = await (await admin.GetAsync("/api/v1/staff/audit?entityType=person", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(audit.EnumerateArray(), a => a.Str("action") == "lookup-checkins" && a.Str("entityId") == phone[..4] + "***" + phone[^3..]);
    }

    [Fact]
    public async Task A_batch_that_fails_to_commit_stores_none_of_its_items_and_the_writer_goes_on()
    {
        var client = app.CreateClient();
        var code = (await client.RegisterAsync()).Str("code");
        long venueId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            venueId = await scope.ServiceProvider.GetRequiredService<CitizenDb>().Venues.Where(v => v.Code == code).Select(v => v.Id).SingleAsync(Cancel);
        }

        // The day counts' table taken away for a moment: the group's check-in is inserted, then the count fails, the
        // transaction is rolled back and nothing is acknowledged. The writer's connection (and its prepared statements)
        // goes with it, and the next group is stored on a new one.
        var writer = app.Services.GetRequiredService<CheckInWriter>();
        var item = new NewCheckIn(venueId, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), [1, 2, 3], null, app.Time.GetUtcNow(), null, CheckInSource.Api);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var schema = scope.ServiceProvider.GetRequiredService<CitizenDb>().Database;
            await schema.ExecuteSqlRawAsync("""ALTER TABLE "VenueDays" RENAME TO "VenueDaysAside" """, Cancel);
            try
            {
                await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => writer.WriteAsync([item], Cancel));
            }
            finally
            {
                await schema.ExecuteSqlRawAsync("""ALTER TABLE "VenueDaysAside" RENAME TO "VenueDays" """, CancellationToken.None);
            }
        }

        await (await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = code, phone = VenueClient.NewPhone() }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        await using var check = app.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<CitizenDb>();
        Assert.Equal(1, await db.Set<CheckIn>().CountAsync(c => c.VenueId == venueId, Cancel));
        Assert.Equal(1, await db.Set<VenueDay>().Where(d => d.VenueId == venueId).SumAsync(d => d.Scans, Cancel));
    }

    [Fact]
    public async Task Refused_check_ins_name_the_problem_and_store_nothing()
    {
        var client = app.CreateClient();
        var venue = await client.RegisterAsync();
        var code = venue.Str("code");
        var phone = VenueClient.NewPhone();
        var now = app.Time.GetUtcNow();

        async Task<JsonElement> Refused(object body, HttpStatusCode status) =>
            await (await client.PostAsJsonAsync("/api/v1/checkins", body, Cancel)).ReadProblemAsync(status);

        Assert.True((await Refused(new { venueCode = code, phone = "12345" }, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("phone", out _));
        Assert.Contains("future", (await Refused(new { venueCode = code, phone, at = now.AddHours(1) }, HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("at")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("21 days", (await Refused(new { venueCode = code, phone, at = now.AddDays(-22) }, HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("at")[0].GetString(), StringComparison.Ordinal);
        Assert.True((await Refused(new { venueCode = code, phone, at = now, checkOutAt = now.AddMinutes(-5) }, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("checkOutAt", out _));
        Assert.True((await Refused(new { venueCode = code, phone, name = "<img src=x onerror=alert(1)>" }, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("name", out _));
        Assert.True((await Refused(new { phone }, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("venueCode", out _));
        Assert.Contains("no venue", (await Refused(new { venueCode = "ZZZZZZZZZZZZ", phone }, HttpStatusCode.NotFound)).Str("detail"), StringComparison.Ordinal);
        var wrongType = await client.PostAsync("/api/v1/checkins", new StringContent($$"""{"venueCode":"{{code}}","phone":{{phone}}}""", System.Text.Encoding.UTF8, "application/json"), Cancel);
        await wrongType.ReadProblemAsync(HttpStatusCode.BadRequest);

        var key = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/venues/{code}/close");
        key.Headers.Add("X-Venue-Key", venue.Str("manageKey"));
        (await client.SendAsync(key, Cancel)).EnsureSuccessStatusCode();
        Assert.Contains("closed", (await Refused(new { venueCode = code, phone }, HttpStatusCode.Gone)).Str("detail"), StringComparison.Ordinal);

        Assert.Equal(0, (await TraceAsync(phone)).GetArrayLength());
    }

    [Fact]
    public async Task A_batch_reports_each_item_and_stores_the_good_ones()
    {
        var client = app.CreateClient();
        var code = (await client.RegisterAsync()).Str("code");
        var (a, b) = (VenueClient.NewPhone(), VenueClient.NewPhone());
        var now = app.Time.GetUtcNow();
        var outcome = await (await client.PostAsJsonAsync("/api/v1/checkins/batch", new
        {
            items = new object[]
            {
                new { venueCode = code, phone = a, at = now.AddHours(-3) },
                new { venueCode = code, phone = a, at = now.AddHours(-3).AddSeconds(10) }, // the same minute: a duplicate
                new { venueCode = code, phone = "x", at = now },
                new { venueCode = "ZZZZZZZZZZZZ", phone = b },
                new { venueCode = code, phone = b, at = now.AddHours(-2), checkOutAt = now.AddHours(-1) },
            },
        }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, outcome.GetProperty("accepted").GetInt32());
        Assert.Equal(1, outcome.GetProperty("duplicates").GetInt32());
        Assert.Equal(2, outcome.GetProperty("rejected").GetInt32());
        var results = outcome.GetProperty("results");
        Assert.Equal(["accepted", "duplicate", "rejected", "rejected", "accepted"], results.EnumerateArray().Select(r => r.Str("status")).ToArray());
        Assert.True(results[2].GetProperty("errors").TryGetProperty("phone", out _));
        Assert.True(results[3].GetProperty("errors").TryGetProperty("venueCode", out _));
        Assert.Equal(1, (await TraceAsync(a)).GetArrayLength());
        Assert.NotEqual(JsonValueKind.Null, (await TraceAsync(b))[0].GetProperty("checkOutAt").ValueKind);

        await (await client.PostAsJsonAsync("/api/v1/checkins/batch", new { items = Array.Empty<object>() }, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        var tooMany = Enumerable.Range(0, 1001).Select(_ => new { venueCode = code, phone = a }).ToArray();
        var problem = await (await client.PostAsJsonAsync("/api/v1/checkins/batch", new { items = tooMany }, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("1001", problem.GetProperty("errors").GetProperty("items")[0].GetString(), StringComparison.Ordinal);
        var full = Enumerable.Range(0, 1000).Select(i => new { venueCode = code, phone = "09" + (10_000_000 + i), at = now.AddMinutes(-30) }).ToArray();
        var thousand = await (await client.PostAsJsonAsync("/api/v1/checkins/batch", new { items = full }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1000, thousand.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task Venue_staff_check_in_a_residents_personal_QR_with_the_venue_key_and_residents_check_out()
    {
        var client = app.CreateClient();
        var venue = await client.RegisterAsync();
        var code = venue.Str("code");
        var phone = VenueClient.NewPhone();
        var pass = await (await client.PostAsJsonAsync("/api/v1/checkins/passes", new { phone, name = "Lê Văn Cường" }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        var token = pass.Str("pass");
        Assert.DoesNotContain(phone, token, StringComparison.Ordinal);

        HttpRequestMessage Scan(string passText, string? key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/checkins") { Content = JsonContent.Create(new { venueCode = code, pass = passText }) };
            if (key is not null)
            {
                request.Headers.Add("X-Venue-Key", key);
            }

            return request;
        }

        await (await client.SendAsync(Scan(token, null), Cancel)).ReadProblemAsync(HttpStatusCode.Forbidden);
        var forged = await (await client.SendAsync(Scan(token[..^6] + "AAAAAA", venue.Str("manageKey")), Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("altered", forged.GetProperty("errors").GetProperty("pass")[0].GetString(), StringComparison.Ordinal);
        var receipt = (await (await client.SendAsync(Scan(token, venue.Str("manageKey")), Cancel)).ReadJsonAsync(HttpStatusCode.Created)).Str("receipt");
        var traced = await TraceAsync(phone);
        Assert.Equal("scanner", traced[0].Str("source"));
        Assert.Equal("Lê Văn Cường", traced[0].Str("name"));

        app.Time.Advance(TimeSpan.FromMinutes(40));
        // Without the check-in's receipt nothing tells whether this person is here: the same answer as for a stranger.
        var altered = receipt[..^1] + (receipt[^1] == 'A' ? 'B' : 'A');
        var probe = await (await client.PostAsJsonAsync("/api/v1/checkins/checkout", new { venueCode = code, phone, receipt = altered }, Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
        var stranger = await (await client.PostAsJsonAsync("/api/v1/checkins/checkout", new { venueCode = code, phone = VenueClient.NewPhone(), receipt }, Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(stranger.Str("detail"), probe.Str("detail"));
        await (await client.PostAsJsonAsync("/api/v1/checkins/checkout", new { venueCode = code, phone }, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(JsonValueKind.Null, (await TraceAsync(phone))[0].GetProperty("checkOutAt").ValueKind);

        var left = await (await client.PostAsJsonAsync("/api/v1/checkins/checkout", new { venueCode = code, phone, receipt }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(code, left.Str("venueCode"));
        Assert.NotEqual(JsonValueKind.Null, (await TraceAsync(phone))[0].GetProperty("checkOutAt").ValueKind);
        await (await client.PostAsJsonAsync("/api/v1/checkins/checkout", new { venueCode = code, phone, receipt }, Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);

        app.Time.Advance(TimeSpan.FromDays(8)); // passes last 7 days
        var expired = await (await client.SendAsync(Scan(token, venue.Str("manageKey")), Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("expired", expired.GetProperty("errors").GetProperty("pass")[0].GetString(), StringComparison.Ordinal);
    }
}

/// <summary>The retention job on its own app, so that moving its clock three weeks on disturbs no other test.</summary>
public sealed class CheckInRetentionTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    [Fact]
    public async Task Check_ins_older_than_21_days_are_deleted_and_the_daily_counts_stay()
    {
        var cancel = TestContext.Current.CancellationToken;
        var client = app.CreateClient();
        var code = (await client.RegisterAsync()).Str("code");
        var (old, recent) = (VenueClient.NewPhone(), VenueClient.NewPhone());
        var start = app.Time.GetUtcNow();
        await (await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = code, phone = old, at = start.AddDays(-2) }, cancel)).ReadJsonAsync(HttpStatusCode.Created);
        await (await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = code, phone = recent, at = start }, cancel)).ReadJsonAsync(HttpStatusCode.Created);

        var retention = app.Services.GetRequiredService<CheckInRetention>();
        Assert.Equal(0, await retention.RunOnceAsync(cancel));
        app.Time.Advance(TimeSpan.FromDays(19) + TimeSpan.FromHours(1)); // the older one is now 21 days and an hour old
        Assert.Equal(1, await retention.RunOnceAsync(cancel));

        var (health, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, "01");
        Assert.Equal(0, (await (await health.GetAsync($"/api/v1/staff/checkins?phone={old}&days=60", cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetArrayLength());
        Assert.Equal(1, (await (await health.GetAsync($"/api/v1/staff/checkins?phone={recent}&days=60", cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetArrayLength());
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var venueId = await db.Venues.Where(v => v.Code == code).Select(v => v.Id).SingleAsync(cancel);
        Assert.Equal(2, await db.Set<VenueDay>().Where(d => d.VenueId == venueId).SumAsync(d => d.Scans, cancel));
    }
}
