using System.Security.Cryptography;
using CitizenSensor.Data;
using CitizenSensor.Features.Channels.Phone;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Venues;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CitizenSensor.Tests.Data;

/// <summary>
/// An existing database with reporters', owners' and callers' data in clear is migrated through
/// <see cref="DatabaseMigrator"/>: the rows come out sealed, readable with the key, found by the look-up hashes, and the
/// clear columns are gone. On the run's provider.
/// </summary>
public sealed class SealPersonalDataMigrationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_migration_seals_the_rows_kept_in_clear_and_drops_the_clear_columns()
    {
        await using var database = await TestDatabase.CreateAsync();
        var sqlite = database.Provider == DatabaseProvider.Sqlite;
        await using var db = database.OpenContext();
        var migrations = db.Database.GetMigrations().ToList();
        var sealing = migrations.FindIndex(m => m.EndsWith("_SealPersonalData", StringComparison.Ordinal));
        await db.GetService<IMigrator>().MigrateAsync(migrations[sealing - 1], Cancel);

        var now = new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
        object at = sqlite ? now.UtcTicks : now;
        var (withContact, anonymous) = (Guid.CreateVersion7(now), Guid.CreateVersion7(now.AddSeconds(1)));
        object Id(Guid id) => sqlite ? id.ToString().ToUpperInvariant() : id;
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Reports" ("Id", "Code", "Description", "Status", "Channel", "Anonymous", "BusinessSuspended", "ProcessingAttempts", "SubmittedAt", "Version", "ReporterName", "ReporterPhone", "ReporterEmail", "ChannelAddress")
            VALUES ({Id(withContact)}, 'AB12CD34', 'Đèn đường hỏng', 'Received', 'web', FALSE, FALSE, 0, {at}, 0, 'Lê Thị Ba', '0903123456', 'ba@example.org', 'ba@example.org')
            """, Cancel);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Reports" ("Id", "Code", "Description", "Status", "Channel", "Anonymous", "BusinessSuspended", "ProcessingAttempts", "SubmittedAt", "Version")
            VALUES ({Id(anonymous)}, 'EF56GH78', 'Cống vỡ', 'Received', 'web', TRUE, FALSE, 0, {at}, 0)
            """, Cancel);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Venues" ("Code", "Name", "Kind", "Address", "WardCode", "DistrictCode", "UnitPath", "SearchText", "OwnerName", "OwnerPhone", "ManageKeyHash", "CreatedAt", "CreatedDay", "CreatedBy", "Version")
            VALUES ('VENUE001', 'Quán phở', 'restaurant', '1 Phúc Xá', '00001', '001', '/01/001/00001/', 'quan pho', 'Nguyễn Văn An', '0909123456', {new byte[32]}, {at}, {DateOnly.FromDateTime(now.UtcDateTime)}, 'owner', 0)
            """, Cancel);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Calls" ("Direction", "CallerPhone", "StartedAt", "Outcome", "LoggedBy")
            VALUES ('inbound', '0903123456', {at}, 'answered-directly', 'agent')
            """, Cancel);

        var personal = new PersonalData(RandomNumberGenerator.GetBytes(32));
        await DatabaseMigrator.MigrateAsync(db, () => personal, Cancel);

        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Cancel));
        var reports = await db.Reports.AsNoTracking().OrderBy(r => r.Id).ToListAsync(Cancel);
        Assert.Equal(new ReporterContact("Lê Thị Ba", "0903123456", "ba@example.org"), ReporterData.Open(reports[0], personal));
        Assert.Equal("ba@example.org", personal.Open(reports[0].SealedChannelAddress));
        Assert.Equal(Report.PhoneLookup(personal, "0903123456"), reports[0].ReporterPhoneHash);
        Assert.Null(ReporterData.Open(reports[1], personal));
        Assert.Null(reports[1].SealedChannelAddress);

        var venue = await db.Venues.AsNoTracking().SingleAsync(Cancel);
        Assert.Equal(("Nguyễn Văn An", "0909123456"), (personal.Decrypt(venue.SealedOwnerName), personal.Decrypt(venue.SealedOwnerPhone)));
        Assert.Equal(Venue.PhoneLookup(personal, "0909123456"), venue.OwnerPhoneHash);
        var call = await db.Set<PhoneCall>().AsNoTracking().SingleAsync(Cancel);
        Assert.Equal("0903123456", personal.Decrypt(call.SealedCallerPhone));
        Assert.Equal(Report.PhoneLookup(personal, "0903123456"), call.CallerPhoneHash);

        foreach (var (table, column) in new[] { ("Reports", "ReporterPhone"), ("Reports", "ChannelAddress"), ("Venues", "OwnerPhone"), ("Calls", "CallerPhone") })
        {
            Assert.False(await HasColumnAsync(db, table, column), $"{table}.{column} is still there");
        }
    }

    private static async Task<bool> HasColumnAsync(CitizenDb db, string table, string column)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(Cancel);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\" LIMIT 0";
            await using var reader = await command.ExecuteReaderAsync(Cancel);
            return Enumerable.Range(0, reader.FieldCount).Any(i => reader.GetName(i) == column);
        }
        finally
        {
            await connection.CloseAsync();
        }
    }
}
