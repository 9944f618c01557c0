using CitizenSensor.Data;
using CitizenSensor.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace CitizenSensor.Features.Venues;

/// <summary>A check-in ready to store: validated, the phone already hashed and encrypted.</summary>
public sealed record NewCheckIn(long VenueId, byte[] PhoneHash, byte[] Phone, byte[]? Name, DateTimeOffset At, DateTimeOffset? CheckOutAt, CheckInSource Source);

/// <summary>
/// The check-in ingest path (<see cref="GroupCommitWriter{TItem,TResult}"/>): each batch is stored in one transaction:
/// prepared inserts on SQLite, one <c>INSERT … SELECT FROM unnest(arrays)</c> on PostgreSQL, with
/// <c>ON CONFLICT DO NOTHING</c> on the duplicate key and the per-venue-day and per-ward-day counts updated in the same
/// transaction. Each item's result says whether it was new (true) or a duplicate (false).
/// </summary>
public sealed class CheckInWriter(IServiceScopeFactory scopes, ILogger<CheckInWriter> logger) : GroupCommitWriter<NewCheckIn, bool>(logger, MaxBatch)
{
    public const int MaxBatch = 10_000;

    protected override async Task<bool[]> CommitAsync(List<NewCheckIn> items, CancellationToken cancellationToken)
    {
        var count = items.Count;

        // The same person at the same venue twice within a minute, inside this batch: the first one counts.
        var stored = new bool[count];
        var unique = new List<int>(count);
        var keys = new HashSet<Key>(count);
        for (var i = 0; i < count; i++)
        {
            if (keys.Add(Key.Of(items[i])))
            {
                unique.Add(i);
            }
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await SqliteCitizenDb.UseWriterCacheAsync(connection, cancellationToken);

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = connection is NpgsqlConnection npgsql
            ? await InsertPostgresAsync(npgsql, items, unique, cancellationToken)
            : InsertSqlite((SqliteConnection)connection, items, unique);
        inserted.ForEach(i => stored[i] = true);

        var days = inserted.GroupBy(i => (items[i].VenueId, Day: CityTime.DayOf(items[i].At)))
            .Select(g => (g.Key.VenueId, g.Key.Day, Scans: g.Count()))
            .OrderBy(d => d.VenueId).ThenBy(d => d.Day) // one lock order for every node: no deadlocks between writers
            .ToList();
        if (connection is NpgsqlConnection pg)
        {
            await CountPostgresAsync(pg, days, cancellationToken);
        }
        else
        {
            await CountSqliteAsync((SqliteConnection)connection, days, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    /// <summary>
    /// One prepared statement stepped per row through SQLite's own API (by parameter index): the ADO.NET layer's per-row
    /// work (parameters looked up by name, readers, boxing) cost several times the insert itself.
    /// </summary>
    private static List<int> InsertSqlite(SqliteConnection connection, List<NewCheckIn> items, List<int> unique)
    {
        var db = connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, """
            INSERT INTO "CheckIns" ("VenueId", "PhoneHash", "Phone", "Name", "At", "Minute", "CheckOutAt", "Source")
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT ("PhoneHash", "VenueId", "Minute") DO NOTHING
            """, out var insert));
        using (insert)
        {
            var inserted = new List<int>(unique.Count);
            foreach (var i in unique)
            {
                var item = items[i];
                raw.sqlite3_bind_int64(insert, 1, item.VenueId);
                raw.sqlite3_bind_blob(insert, 2, item.PhoneHash);
                raw.sqlite3_bind_blob(insert, 3, item.Phone);
                _ = item.Name is null ? raw.sqlite3_bind_null(insert, 4) : raw.sqlite3_bind_blob(insert, 4, item.Name);
                raw.sqlite3_bind_int64(insert, 5, SqliteCitizenDb.StoredTime(item.At));
                raw.sqlite3_bind_int64(insert, 6, CheckIn.MinuteOf(item.At));
                _ = item.CheckOutAt is { } o ? raw.sqlite3_bind_int64(insert, 7, SqliteCitizenDb.StoredTime(o)) : raw.sqlite3_bind_null(insert, 7);
                raw.sqlite3_bind_int(insert, 8, (int)item.Source);
                Check(db, raw.sqlite3_step(insert), raw.SQLITE_DONE);
                if (raw.sqlite3_changes(db) == 1)
                {
                    inserted.Add(i);
                }

                raw.sqlite3_reset(insert);
            }

            return inserted;
        }
    }

    private static void Check(sqlite3 db, int result, int expected = raw.SQLITE_OK)
    {
        if (result != expected)
        {
            throw new SqliteException($"SQLite error {result}: {raw.sqlite3_errmsg(db).utf8_to_string()}", result);
        }
    }

    private static async Task CountSqliteAsync(SqliteConnection connection, List<(long VenueId, DateOnly Day, int Scans)> days, CancellationToken cancellationToken)
    {
        // Per venue and day, then per ward and day (the ward and district taken from the venue).
        await using var venues = connection.CreateCommand();
        venues.CommandText = """
            INSERT INTO "VenueDays" ("VenueId", "Day", "Scans", "DistrictCode", "WardCode")
            SELECT $venue, $day, $scans, "DistrictCode", "WardCode" FROM "Venues" WHERE "Id" = $venue
            ON CONFLICT ("VenueId", "Day") DO UPDATE SET "Scans" = "Scans" + excluded."Scans"
            """;
        await using var wards = connection.CreateCommand();
        wards.CommandText = """
            INSERT INTO "WardDays" ("WardCode", "Day", "DistrictCode", "Scans")
            SELECT "WardCode", $day, "DistrictCode", $scans FROM "Venues" WHERE "Id" = $venue
            ON CONFLICT ("WardCode", "Day") DO UPDATE SET "Scans" = "Scans" + excluded."Scans"
            """;
        SqliteCommand[] upserts = [venues, wards];
        foreach (var upsert in upserts)
        {
            upsert.Parameters.Add("$venue", SqliteType.Integer);
            upsert.Parameters.Add("$day", SqliteType.Text);
            upsert.Parameters.Add("$scans", SqliteType.Integer);
            upsert.Prepare();
        }

        foreach (var d in days)
        {
            foreach (var upsert in upserts)
            {
                upsert.Parameters[0].Value = d.VenueId;
                upsert.Parameters[1].Value = d.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                upsert.Parameters[2].Value = d.Scans;
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private static async Task<List<int>> InsertPostgresAsync(NpgsqlConnection connection, List<NewCheckIn> items, List<int> unique, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO "CheckIns" ("VenueId", "PhoneHash", "Phone", "Name", "At", "Minute", "CheckOutAt", "Source")
            SELECT * FROM unnest(@venue, @hash, @phone, @name, @at, @minute, @out, @source)
            ON CONFLICT ("PhoneHash", "VenueId", "Minute") DO NOTHING
            RETURNING "VenueId", "PhoneHash", "Minute"
            """;
        var rows = unique.Select(i => items[i]).ToList();
        insert.Parameters.Add(new NpgsqlParameter<long[]>("venue", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. rows.Select(r => r.VenueId)] });
        insert.Parameters.Add(new NpgsqlParameter<byte[][]>("hash", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = [.. rows.Select(r => r.PhoneHash)] });
        insert.Parameters.Add(new NpgsqlParameter<byte[][]>("phone", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = [.. rows.Select(r => r.Phone)] });
        insert.Parameters.Add(new NpgsqlParameter<byte[]?[]>("name", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = [.. rows.Select(r => r.Name)] });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = [.. rows.Select(r => r.At.ToUniversalTime())] });
        insert.Parameters.Add(new NpgsqlParameter<long[]>("minute", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. rows.Select(r => CheckIn.MinuteOf(r.At))] });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset?[]>("out", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = [.. rows.Select(r => r.CheckOutAt?.ToUniversalTime())] });
        insert.Parameters.Add(new NpgsqlParameter<short[]>("source", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { TypedValue = [.. rows.Select(r => (short)r.Source)] });

        var returned = new HashSet<Key>();
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                returned.Add(new Key(reader.GetInt64(0), reader.GetInt64(2), Convert.ToBase64String((byte[])reader[1])));
            }
        }

        return unique.Where(i => returned.Contains(Key.Of(items[i]))).ToList();
    }

    private static async Task CountPostgresAsync(NpgsqlConnection connection, List<(long VenueId, DateOnly Day, int Scans)> days, CancellationToken cancellationToken)
    {
        if (days.Count == 0)
        {
            return;
        }

        // Venue-days in venue order, then ward-days in ward order: every writer on every node takes row locks in the
        // same order, so concurrent writers wait for each other but never deadlock.
        await using var upsert = connection.CreateCommand();
        upsert.CommandText = """
            INSERT INTO "VenueDays" ("VenueId", "Day", "Scans", "DistrictCode", "WardCode")
            SELECT d.venue, d.day, d.scans, v."DistrictCode", v."WardCode"
            FROM unnest(@venue, @day, @scans) AS d(venue, day, scans) JOIN "Venues" v ON v."Id" = d.venue
            ORDER BY d.venue, d.day
            ON CONFLICT ("VenueId", "Day") DO UPDATE SET "Scans" = "VenueDays"."Scans" + excluded."Scans";
            INSERT INTO "WardDays" ("WardCode", "Day", "DistrictCode", "Scans")
            SELECT v."WardCode", d.day, min(v."DistrictCode"), sum(d.scans)
            FROM unnest(@venue, @day, @scans) AS d(venue, day, scans) JOIN "Venues" v ON v."Id" = d.venue
            GROUP BY v."WardCode", d.day
            ORDER BY v."WardCode", d.day
            ON CONFLICT ("WardCode", "Day") DO UPDATE SET "Scans" = "WardDays"."Scans" + excluded."Scans"
            """;
        upsert.Parameters.Add(new NpgsqlParameter<long[]>("venue", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. days.Select(d => d.VenueId)] });
        upsert.Parameters.Add(new NpgsqlParameter<DateOnly[]>("day", NpgsqlDbType.Array | NpgsqlDbType.Date) { TypedValue = [.. days.Select(d => d.Day)] });
        upsert.Parameters.Add(new NpgsqlParameter<int[]>("scans", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = [.. days.Select(d => d.Scans)] });
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    private readonly record struct Key(long VenueId, long Minute, string Hash)
    {
        public static Key Of(NewCheckIn item) => new(item.VenueId, CheckIn.MinuteOf(item.At), Convert.ToBase64String(item.PhoneHash));
    }
}
