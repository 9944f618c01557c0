using System.Net;
using CitizenSensor.Data;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CitizenSensor.Tests.Data;

/// <summary>
/// A database holding reports from before the inbox's trigram index (migration <c>ReportSearchTrigrams</c>) is upgraded
/// by the portal starting on it: the old reports are found by their words, a report not yet folded is found once the
/// start-up backfill has folded it, and reports written afterwards join the index. On the run's provider.
/// </summary>
public sealed class ReportSearchMigrationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reports_stored_before_the_trigram_index_are_found_after_the_upgrade()
    {
        await using var database = await TestDatabase.CreateAsync();
        var sqlite = database.Provider == DatabaseProvider.Sqlite;
        await using (var db = database.OpenContext())
        {
            var migrations = db.Database.GetMigrations().ToList();
            var index = migrations.FindIndex(m => m.EndsWith("_ReportSearchTrigrams", StringComparison.Ordinal));
            await db.GetService<IMigrator>().MigrateAsync(migrations[index - 1], Cancel);

            var at = new DateTimeOffset(2021, 8, 19, 3, 0, 0, TimeSpan.Zero);
            object When(int minutes) => sqlite ? at.AddMinutes(minutes).UtcTicks : at.AddMinutes(minutes);
            object Id() => sqlite ? Guid.NewGuid().ToString().ToUpperInvariant() : Guid.NewGuid();
            foreach (var (code, description, search, minutes) in new[]
            {
                ("OLDREPRT01", "Lò than tổ ong xả khói đen", "oldreprt01 lo than to ong xa khoi den", 0),
                ("OLDREPRT02", "Ống nước vỡ, nước tràn vào nhà", (string?)null, 1), // stored before the folded column was filled
            })
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "Reports" ("Id", "Code", "Description", "Status", "Channel", "Anonymous", "BusinessSuspended", "ProcessingAttempts", "SubmittedAt", "Version", "UnitCode", "UnitPath", "WardCode", "SearchText")
                    VALUES ({Id()}, {code}, {description}, 'Routed', 'web', TRUE, FALSE, 0, {When(minutes)}, 0, '760', '/79/760/', '26734', {search})
                    """, Cancel);
            }
        }

        await using var app = new CitizenApp(database);
        await app.InitializeAsync();
        var desk = (await app.SignedInAsync(StaffRoles.CityTriage, "79")).Client;

        Assert.Equal(["OLDREPRT01"], await CodesAsync(desk, "q=than+to+ong"));
        Assert.Equal(["OLDREPRT02"], await CodesAsync(desk, "q=ống+nước+vỡ"));
        Assert.Empty(await CodesAsync(desk, "q=than+nuoc"));

        // A report written after the upgrade is indexed as it is stored.
        var fresh = await app.CreateClient().SubmitAsync(new { description = "Than tổ ong đốt giữa hẻm, khói bay vào nhà", address = "phường Bến Nghé, quận 1" });
        Assert.Equal([fresh, "OLDREPRT01"], await CodesAsync(desk, "q=than+to+ong"));
    }

    private static async Task<List<string>> CodesAsync(HttpClient client, string query) =>
        [.. (await (await client.GetAsync($"/api/v1/staff/reports?{query}", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray().Select(r => r.Str("code"))];
}
