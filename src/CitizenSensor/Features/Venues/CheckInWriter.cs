using CitizenSensor.Data;
using CitizenSensor.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace CitizenSensor.Features.Venues;

/// <summary>A check-in ready to store: validated, the phone already hashed and encrypted.</summary>
public sealed record NewCheckIn(long VenueId, byte[] PhoneHash, byte[] Phone, byte[]? Name, DateTimeOffset At, DateTimeOffset? CheckOutAt, CheckInSource Source, byte[]? Email = null);

/// <summary>
/// The check-in ingest path (<see cref="GroupCommitWriter{TItem,TResult}"/>): each batch is stored in one transaction:
/// prepared inserts on SQLite, one <c>INSERT … SELECT FROM unnest(arrays)</c> on PostgreSQL, with
/// <c>ON CONFLICT DO NOTHING</c> on the duplicate key and the per-venue-day and per-ward-day counts updated in the same
/// transaction. Each item's result says whether it was new (true) or a duplicate (false).
/// </summary>
public sealed class CheckInWriter(IServiceScopeFactory scopes, ILogger<CheckInWriter> logger) : GroupCommitWriter<NewCheckIn, bool>(logger, MaxBatch)
{
    public const int MaxBatch = 10_000;

    private readonly WriterConnection _connection = new(scopes);

    protected override async Task<bool[]> CommitAsync(List<NewCheckIn> items, CancellationToken cancellationToken)
    {
        var count = items.Count;

        // The same person at the same venue twice within a minute, inside this batch: the first one counts.
        var unique = new List<int>(count);
        var keys = new HashSet<Key>(count);
        for (var i = 0; i < count; i++)
        {
            if (keys.Add(Key.Of(items[i])))
            {
                unique.Add(i);
            }
        }

        return await _connection.UseAsync(connection => StoreAsync(connection, items, unique, cancellationToken), cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _connection.DisposeAsync();
    }

    private async Task<bool[]> StoreAsync(System.Data.Common.DbConnection connection, List<NewCheckIn> items, List<int> unique, CancellationToken cancellationToken)
    {
        var stored = new bool[items.Count];
        var sqlite = connection is SqliteConnection lite ? _connection.Kept(() => new SqliteStatements(lite)) : null;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = connection is NpgsqlConnection npgsql
            ? await InsertPostgresAsync(npgsql, items, unique, cancellationToken)
            : sqlite!.Insert(items, unique);
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
            sqlite!.Count(days);
        }

        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    /// <summary>
    /// The SQLite statements, prepared once per writer connection and stepped through SQLite's own API (by parameter
    /// index): the ADO.NET layer's per-row work (parameters looked up by name, readers, boxing) cost several times the
    /// insert itself, and preparing them per batch cost more than a small batch's rows.
    /// </summary>
    private sealed class SqliteStatements : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _insert;
        private readonly sqlite3_stmt _venueDays;
        private readonly sqlite3_stmt _wardDays;

        public SqliteStatements(SqliteConnection connection)
        {
            _db = connection.Handle!;
            _insert = Prepare("""
                INSERT INTO "CheckIns" ("VenueId", "PhoneHash", "Phone", "Name", "At", "Minute", "CheckOutAt", "Source", "Email")
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                ON CONFLICT ("PhoneHash", "VenueId", "Minute") DO NOTHING
                """);
            // Per venue and day, then per ward and day (the ward and district taken from the venue).
            _venueDays = Prepare("""
                INSERT INTO "VenueDays" ("VenueId", "Day", "Scans", "DistrictCode", "WardCode")
                SELECT ?1, ?2, ?3, "DistrictCode", "WardCode" FROM "Venues" WHERE "Id" = ?1
                ON CONFLICT ("VenueId", "Day") DO UPDATE SET "Scans" = "Scans" + excluded."Scans"
                """);
            _wardDays = Prepare("""
                INSERT INTO "WardDays" ("WardCode", "Day", "DistrictCode", "Scans")
                SELECT "WardCode", ?2, "DistrictCode", ?3 FROM "Venues" WHERE "Id" = ?1
                ON CONFLICT ("WardCode", "Day") DO UPDATE SET "Scans" = "Scans" + excluded."Scans"
                """);
        }

        /// <summary>Inserts the unique items; returns the indexes of those that were new.</summary>
        public List<int> Insert(List<NewCheckIn> items, List<int> unique)
        {
            var inserted = new List<int>(unique.Count);
            foreach (var i in unique)
            {
                var item = items[i];
                raw.sqlite3_bind_int64(_insert, 1, item.VenueId);
                raw.sqlite3_bind_blob(_insert, 2, item.PhoneHash);
                raw.sqlite3_bind_blob(_insert, 3, item.Phone);
                _ = item.Name is null ? raw.sqlite3_bind_null(_insert, 4) : raw.sqlite3_bind_blob(_insert, 4, item.Name);
                raw.sqlite3_bind_int64(_insert, 5, SqliteCitizenDb.StoredTime(item.At));
                raw.sqlite3_bind_int64(_insert, 6, CheckIn.MinuteOf(item.At));
                _ = item.CheckOutAt is { } o ? raw.sqlite3_bind_int64(_insert, 7, SqliteCitizenDb.StoredTime(o)) : raw.sqlite3_bind_null(_insert, 7);
                raw.sqlite3_bind_int(_insert, 8, (int)item.Source);
                _ = item.Email is null ? raw.sqlite3_bind_null(_insert, 9) : raw.sqlite3_bind_blob(_insert, 9, item.Email);
                Step(_insert);
                if (raw.sqlite3_changes(_db) == 1)
                {
                    inserted.Add(i);
                }
            }

            return inserted;
        }

        public void Count(List<(long VenueId, DateOnly Day, int Scans)> days)
        {
            foreach (var d in days)
            {
                var day = d.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                foreach (var upsert in (ReadOnlySpan<sqlite3_stmt>)[_venueDays, _wardDays])
                {
                    raw.sqlite3_bind_int64(upsert, 1, d.VenueId);
                    raw.sqlite3_bind_text(upsert, 2, day);
                    raw.sqlite3_bind_int(upsert, 3, d.Scans);
                    Step(upsert);
                }
            }
        }

        public void Dispose()
        {
            _insert?.Dispose();
            _venueDays?.Dispose();
            _wardDays?.Dispose();
        }

        private sqlite3_stmt Prepare(string sql)
        {
            Check(raw.sqlite3_prepare_v2(_db, sql, out var statement), raw.SQLITE_OK);
            return statement;
        }

        private void Step(sqlite3_stmt statement)
        {
            var result = raw.sqlite3_step(statement);
            raw.sqlite3_reset(statement);
            Check(result, raw.SQLITE_DONE);
        }

        private void Check(int result, int expected)
        {
            if (result != expected)
            {
                throw new SqliteException($"SQLite error {result}: {raw.sqlite3_errmsg(_db).utf8_to_string()}", result);
            }
        }
    }

    private static async Task<List<int>> InsertPostgresAsync(NpgsqlConnection connection, List<NewCheckIn> items, List<int> unique, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO "CheckIns" ("VenueId", "PhoneHash", "Phone", "Name", "At", "Minute", "CheckOutAt", "Source", "Email")
            SELECT * FROM unnest(@venue, @hash, @phone, @name, @at, @minute, @out, @source, @email)
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
        insert.Parameters.Add(new NpgsqlParameter<byte[]?[]>("email", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = [.. rows.Select(r => r.Email)] });

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
