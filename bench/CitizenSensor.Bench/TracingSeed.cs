using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Venues;
using CitizenSensor.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace CitizenSensor.Bench;

/// <summary>
/// A city's check-ins for the tracing bench, written straight into a migrated portal's database: the communes of the
/// city in the unit set in force today, <c>venues</c> venues over them (the first 1 % busy: markets and supermarkets
/// that take a fifth of all scans), and <c>people</c> residents with <c>checkins</c> check-ins between them over the
/// last <c>days</c> days (each person 1 to 2 × the mean, at least two minutes apart; 40 % with a check-out 10 to 120
/// minutes later). Phones are sealed and hashed with the server's key, so the portal finds them as its own. Each
/// <c>gathering</c> adds a crowd of <c>crowd</c> residents who checked in at one busy venue within half an hour of each
/// other, a week and more ago, and stayed two hours: the case opened for one of them has about <c>crowd</c> F1s, who
/// then went on with their lives (F2). The check-in indexes are dropped while loading and built again after (as the
/// database would hold them), and the table is analysed.
/// </summary>
internal sealed class TracingSeed(TracingSeed.Options options)
{
    internal sealed record Options(string? Db, string? Key, string Unit, int People, long CheckIns, int Days, int Venues, int Gatherings, int Crowd)
    {
        public static Options From(string[] args) => new(
            CommandLine.Option(args, "--db"), CommandLine.Option(args, "--key"), CommandLine.Option(args, "--unit") ?? "01",
            int.Parse(CommandLine.Option(args, "--people") ?? "10000000", CultureInfo.InvariantCulture),
            long.Parse(CommandLine.Option(args, "--checkins") ?? "50000000", CultureInfo.InvariantCulture),
            int.Parse(CommandLine.Option(args, "--days") ?? "21", CultureInfo.InvariantCulture),
            int.Parse(CommandLine.Option(args, "--venues") ?? "358726", CultureInfo.InvariantCulture),
            int.Parse(CommandLine.Option(args, "--gatherings") ?? "3", CultureInfo.InvariantCulture),
            int.Parse(CommandLine.Option(args, "--crowd") ?? "1000", CultureInfo.InvariantCulture));
    }

    private readonly record struct Row(long Venue, int Person, DateTimeOffset At, DateTimeOffset? Out);

    private sealed record Ward(string Code, string GsoCode, string HandlingCode, string Path);

    private int Stride => options.People / Math.Max(1, options.Crowd);

    /// <summary>The national-form phone of resident <paramref name="person"/>: "0910000000" on.</summary>
    public static string PhoneOf(int person) => "09" + (10_000_000 + person).ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether a resident is in one of the gatherings' crowds.</summary>
    public bool InGathering(int person) => person % Stride is var g && g >= 1 && g <= options.Gatherings && person / Stride < options.Crowd;

    /// <summary>The resident of gathering <paramref name="gathering"/> whose case the bench traces to the crowd.</summary>
    public static int GatheringCase(int gathering) => gathering + 1;

    /// <summary>The GSO codes of the city's communes in the set in force today, as a health officer names them.</summary>
    public async Task<List<string>> WardCodesAsync()
    {
        await using var connection = CheckInLoad.Open(options.Db!);
        return [.. (await WardsAsync(connection)).Select(w => w.GsoCode)];
    }

    public async Task WriteAsync()
    {
        var clock = Stopwatch.StartNew();
        await using var connection = CheckInLoad.Open(options.Db!);
        var wards = await WardsAsync(connection);
        var random = new Random(1022);
        var firstVenue = await InsertVenuesAsync(connection, wards, random);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed: {options.Venues:N0} venues over {wards.Count} communes in {clock.Elapsed.TotalSeconds:0} s"));
        using var personal = new PersonalData(Convert.FromBase64String(options.Key!));
        var hashes = new byte[options.People][];
        var phones = new byte[options.People][];
        Parallel.For(0, options.People, p => (hashes[p], phones[p]) = (personal.Hash(PhoneOf(p)), personal.Encrypt(PhoneOf(p))));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed: {options.People:N0} phones sealed and hashed at {clock.Elapsed.TotalSeconds:0} s"));

        var indexes = await DropIndexesAsync(connection);
        var rows = Rows(firstVenue, DateTimeOffset.UtcNow);
        var written = connection is NpgsqlConnection npgsql ? await CopyAsync(npgsql, rows, hashes, phones) : await InsertAsync(connection, rows, hashes, phones);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed: {written:N0} check-ins written at {clock.Elapsed.TotalSeconds:0} s"));
        foreach (var index in indexes)
        {
            var built = Stopwatch.StartNew();
            await ExecuteAsync(connection, index);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed: {built.Elapsed.TotalSeconds:0} s for {index}"));
        }

        await ExecuteAsync(connection, connection is NpgsqlConnection ? """ANALYZE "CheckIns", "Venues" """ : "ANALYZE");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed: done in {clock.Elapsed.TotalSeconds:0} s"));
    }

    /// <summary>Every check-in, person by person: the mean count each, exactly <c>checkins</c> in all, and the gatherings' crowds.</summary>
    private IEnumerable<Row> Rows(long firstVenue, DateTimeOffset now)
    {
        var random = new Random(2021);
        var (start, seconds) = (now.AddDays(-options.Days).AddHours(2), (int)TimeSpan.FromDays(options.Days).TotalSeconds - 3 * 3600);
        var mean = (int)(options.CheckIns / options.People);
        var extra = options.CheckIns - (long)mean * options.People;
        var busy = Math.Max(1, options.Venues / 100);
        var times = new List<(DateTimeOffset At, long Venue)>();
        var spread = 0;
        for (var person = 0; person < options.People; person++)
        {
            // Pairs of people share 2 × the mean, so the total is exact and each count lies in 1 .. 2 × mean − 1.
            spread = person % 2 == 0 ? random.Next(-(mean - 1), mean) : -spread;
            var count = mean + spread + (person < extra ? 1 : 0);
            times.Clear();
            for (var i = 0; i < count; i++)
            {
                var venue = random.Next(5) == 0 ? random.Next(busy) : random.Next(options.Venues);
                times.Add((start.AddSeconds(random.Next(seconds)), firstVenue + venue));
            }

            if (InGathering(person))
            {
                times.Add((Gathering(person % Stride - 1, now).AddMinutes(person / Stride % 30), firstVenue + person % Stride - 1));
            }

            times.Sort();
            for (var i = 0; i < times.Count; i++)
            {
                var at = i > 0 && times[i].At < times[i - 1].At.AddMinutes(2) ? times[i - 1].At.AddMinutes(2) : times[i].At;
                times[i] = (at, times[i].Venue);
            }

            for (var i = 0; i < times.Count; i++)
            {
                var next = i + 1 < times.Count ? times[i + 1].At : DateTimeOffset.MaxValue;
                var gathering = InGathering(person) && times[i].Venue == firstVenue + person % Stride - 1 && times[i].At >= Gathering(person % Stride - 1, now);
                DateTimeOffset? checkOut = gathering ? times[i].At.AddHours(2) : random.Next(5) < 2 ? times[i].At.AddMinutes(10 + random.Next(111)) : null;
                yield return new Row(times[i].Venue, person, times[i].At, checkOut is { } o && o >= next ? next.AddMinutes(-1) : checkOut);
            }
        }
    }

    /// <summary>When gathering <paramref name="g"/> began: 12:00 UTC (19:00 in Viet Nam), 8 days ago and one more for each gathering.</summary>
    private static DateTimeOffset Gathering(int g, DateTimeOffset now) => new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-8 - g).AddHours(12);

    private async Task<List<Ward>> WardsAsync(DbConnection connection)
    {
        var wards = new List<Ward>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT u."Code", u."GsoCode", u."UnitPath", s."HandlingDepth" FROM "Units" u JOIN "UnitSets" s ON s."Id" = u."SetId"
                JOIN "Units" city ON city."SetId" = s."Id" AND city."ParentCode" IS NULL AND (city."GsoCode" = @city OR city."Code" = @city)
                WHERE s."ValidTo" IS NULL AND u."UnitPath" LIKE '/' || city."Code" || '/%'
                  AND NOT EXISTS (SELECT 1 FROM "Units" c WHERE c."ParentCode" = u."Code")
                ORDER BY u."Code"
                """;
            var city = command.CreateParameter();
            (city.ParameterName, city.Value) = ("@city", options.Unit);
            command.Parameters.Add(city);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var path = reader.GetString(2);
                wards.Add(new Ward(reader.GetString(0), reader.GetString(1), HandlingUnit.KeyAtDepth(path, reader.GetInt32(3)), path));
            }
        }

        return wards.Count > 0 ? wards : throw new InvalidOperationException($"No communes of {options.Unit} in the units in force today: start the portal once on this database first.");
    }

    private async Task<long> InsertVenuesAsync(DbConnection connection, List<Ward> wards, Random random)
    {
        var postgres = connection is NpgsqlConnection;
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO "Venues" ("Code", "Name", "Kind", "Address", "WardCode", "DistrictCode", "UnitPath", "SearchText", "SealedOwnerName", "SealedOwnerPhone", "OwnerPhoneHash", "ManageKeyHash", "CreatedAt", "CreatedDay", "CreatedBy", "Version")
                VALUES (@code, @name, @kind, 'Bench address', @ward, @district, @path, @name, @blank, @blank, @blank, @blank, @at, @day, 'bench', 0)
                """;
            var (code, name, kind, ward, district, path, blank, at, day) = (CheckInLoad.Parameter(command, "code"), CheckInLoad.Parameter(command, "name"), CheckInLoad.Parameter(command, "kind"),
                CheckInLoad.Parameter(command, "ward"), CheckInLoad.Parameter(command, "district"), CheckInLoad.Parameter(command, "path"), CheckInLoad.Parameter(command, "blank"), CheckInLoad.Parameter(command, "at"), CheckInLoad.Parameter(command, "day"));
            blank.Value = new byte[32];
            var created = DateTimeOffset.UtcNow.AddDays(-options.Days - 30);
            at.Value = postgres ? created : SqliteCitizenDb.StoredTime(created);
            day.Value = postgres ? CityTime.DayOf(created) : CityTime.DayOf(created).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var busy = Math.Max(1, options.Venues / 100);
            for (var i = 0; i < options.Venues; i++)
            {
                var w = wards[random.Next(wards.Count)];
                (code.Value, name.Value, kind.Value) = (Venue.NewCode(), string.Create(CultureInfo.InvariantCulture, $"bench venue {i}"), i < busy ? "market" : VenueKinds.All[random.Next(VenueKinds.All.Count)]);
                (ward.Value, district.Value, path.Value) = (w.Code, w.HandlingCode, w.Path);
                await command.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
        await using var first = connection.CreateCommand();
        first.CommandText = """SELECT max("Id") FROM "Venues" WHERE "CreatedBy" = 'bench' AND "Name" = 'bench venue 0'""";
        return Convert.ToInt64(await first.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Drops the check-ins' secondary indexes (loading into them row by row would take hours); returns the statements that build them again.</summary>
    private static async Task<List<string>> DropIndexesAsync(DbConnection connection)
    {
        var postgres = connection is NpgsqlConnection;
        var indexes = new List<(string Name, string Sql)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = postgres
                ? """SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'CheckIns' AND indexname <> 'PK_CheckIns'"""
                : """SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'CheckIns' AND sql IS NOT NULL""";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync(connection, $"DROP INDEX \"{name}\"");
        }

        if (postgres)
        {
            await ExecuteAsync(connection, "SET maintenance_work_mem = '2GB'");
        }

        return [.. indexes.Select(i => i.Sql)];
    }

    private static async Task<long> CopyAsync(NpgsqlConnection connection, IEnumerable<Row> rows, byte[][] hashes, byte[][] phones)
    {
        long written = 0;
        await using var copy = await connection.BeginBinaryImportAsync(
            """COPY "CheckIns" ("VenueId", "PhoneHash", "Phone", "At", "Minute", "CheckOutAt", "Source") FROM STDIN (FORMAT BINARY)""");
        foreach (var row in rows)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(row.Venue, NpgsqlDbType.Bigint);
            await copy.WriteAsync(hashes[row.Person], NpgsqlDbType.Bytea);
            await copy.WriteAsync(phones[row.Person], NpgsqlDbType.Bytea);
            await copy.WriteAsync(row.At, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(CheckIn.MinuteOf(row.At), NpgsqlDbType.Bigint);
            if (row.Out is { } checkOut)
            {
                await copy.WriteAsync(checkOut, NpgsqlDbType.TimestampTz);
            }
            else
            {
                await copy.WriteNullAsync();
            }

            await copy.WriteAsync((short)CheckInSource.Page, NpgsqlDbType.Smallint);
            written++;
        }

        await copy.CompleteAsync();
        return written;
    }

    private static async Task<long> InsertAsync(DbConnection connection, IEnumerable<Row> rows, byte[][] hashes, byte[][] phones)
    {
        await ExecuteAsync(connection, "PRAGMA cache_size = -4000000");
        long written = 0;
        DbTransaction? transaction = null;
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO "CheckIns" ("VenueId", "PhoneHash", "Phone", "At", "Minute", "CheckOutAt", "Source") VALUES (@venue, @hash, @phone, @at, @minute, @out, 1)
            """;
        var (venue, hash, phone, at, minute, checkOut) = (CheckInLoad.Parameter(command, "venue"), CheckInLoad.Parameter(command, "hash"), CheckInLoad.Parameter(command, "phone"),
            CheckInLoad.Parameter(command, "at"), CheckInLoad.Parameter(command, "minute"), CheckInLoad.Parameter(command, "out"));
        foreach (var row in rows)
        {
            if (written % 1_000_000 == 0)
            {
                if (transaction is not null)
                {
                    await transaction.CommitAsync();
                }

                command.Transaction = transaction = await connection.BeginTransactionAsync();
            }

            (venue.Value, hash.Value, phone.Value) = (row.Venue, hashes[row.Person], phones[row.Person]);
            (at.Value, minute.Value) = (SqliteCitizenDb.StoredTime(row.At), CheckIn.MinuteOf(row.At));
            checkOut.Value = row.Out is { } o ? SqliteCitizenDb.StoredTime(o) : DBNull.Value;
            await command.ExecuteNonQueryAsync();
            written++;
        }

        await transaction!.CommitAsync();
        return written;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
}
