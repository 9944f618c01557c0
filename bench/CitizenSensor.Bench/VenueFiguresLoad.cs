using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Venues;
using CitizenSensor.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace CitizenSensor.Bench;

/// <summary>
/// The venue figures over a city's worth of data. <c>--seed</c> first writes, straight into the database of a migrated
/// portal, the seed's Hà Nội of 23/9/2021 scaled to <c>--venues</c> QR locations (a seventh of them created that day's
/// share, 27 wards whose venues never scan) and <c>--checkins</c> check-ins over the <c>--days</c> days up to
/// <c>--date</c> (phones sealed and hashed with the server's <c>--key</c>), with the per-venue-day counts the writer
/// keeps. Then it asks the running portal for <c>GET /api/v1/stats/venues</c> <c>--runs</c> times as a staff member and
/// prints the wall time of each answer.
/// <c>figures --url http://127.0.0.1:5080 --db "sqlite:Data Source=/tmp/cs.db" --key BASE64 --email E --password P --seed</c>
/// The portal must run with <c>Venues__RetentionEnabled=false</c>, or its retention job deletes the old check-ins.
/// </summary>
public static class VenueFiguresLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = new Uri(CommandLine.Option(args, "--url") ?? "http://127.0.0.1:5080");
        var db = CommandLine.Option(args, "--db");
        var key = CommandLine.Option(args, "--key");
        var date = DateOnly.ParseExact(CommandLine.Option(args, "--date") ?? "2021-09-23", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var unit = CommandLine.Option(args, "--unit") ?? "01";
        var runs = int.Parse(CommandLine.Option(args, "--runs") ?? "20", CultureInfo.InvariantCulture);
        if (!baseUrl.IsLoopback || db is null || runs is < 1 or > 1000)
        {
            await Console.Error.WriteLineAsync("figures: loopback only; --db sqlite:CONN|postgres:CONN is required, --runs 1..1000.");
            return 2;
        }

        if (args.Contains("--seed"))
        {
            if (key is null)
            {
                await Console.Error.WriteLineAsync("figures --seed: --key (the server's Privacy:DataKey) is required.");
                return 2;
            }

            var venues = int.Parse(CommandLine.Option(args, "--venues") ?? "358726", CultureInfo.InvariantCulture);
            var checkIns = int.Parse(CommandLine.Option(args, "--checkins") ?? "10000000", CultureInfo.InvariantCulture);
            var days = int.Parse(CommandLine.Option(args, "--days") ?? "30", CultureInfo.InvariantCulture);
            var clock = Stopwatch.StartNew();
            await SeedAsync(db, key, unit, date, venues, checkIns, days);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {venues:N0} venues and {checkIns:N0} check-ins over {days} days in {clock.Elapsed.TotalSeconds:0} s"));
        }

        using var http = await FiguresTiming.StaffClientAsync(baseUrl, args);
        var url = string.Create(CultureInfo.InvariantCulture, $"/api/v1/stats/venues?date={date:yyyy-MM-dd}&unit={unit}");
        var last = await FiguresTiming.TimeAsync(http, url, runs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  totalVenues {last.GetProperty("totalVenues")}, newVenues {last.GetProperty("newVenues")}, activeVenues7d {last.GetProperty("activeVenues7d")}, scans {last.GetProperty("scans")}, wardsWithoutScans {last.GetProperty("wardsWithoutScansCount")}"));
        return 0;
    }

    private sealed record Ward(string Code, string District, string Path);

    private static async Task SeedAsync(string db, string key, string province, DateOnly date, int venueCount, int checkInCount, int days)
    {
        var random = new Random(1022);
        await using var connection = CheckInLoad.Open(db);
        var wards = new List<Ward>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"""SELECT "Code", "ParentCode", "UnitPath" FROM "Units" WHERE "Level" = 3 AND "UnitPath" LIKE '/{province}/%' ORDER BY "Code" """;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                wards.Add(new Ward(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        if (wards.Count < 30)
        {
            throw new InvalidOperationException($"Province {province} has {wards.Count} wards: start the portal once on this database first.");
        }

        // The seed's proportions: 49,426 of 358,726 created on the day; 41,289 scanned over 7 days; 27 silent wards.
        var silent = wards.OrderBy(_ => random.Next()).Take(27).Select(w => w.Code).ToHashSet();
        var onDay = (int)((long)venueCount * 49_426 / 358_726);
        var firstDay = date.AddDays(1 - days);
        var venues = new (Ward Ward, DateOnly Created)[venueCount];
        for (var i = 0; i < venueCount; i++)
        {
            venues[i] = (wards[random.Next(wards.Count)], i < onDay ? date : firstDay.AddDays(-1 - random.Next(60)));
        }

        var firstId = await InsertVenuesAsync(connection, venues, random);
        var activeCount = (int)((long)venueCount * 41_289 / 358_726);
        var active = Enumerable.Range(onDay, venueCount - onDay).Where(i => !silent.Contains(venues[i].Ward.Code)).Take(activeCount).ToArray();

        // Check-ins: people from a pool of two million, one per (person, venue, minute).
        using var personal = new PersonalData(Convert.FromBase64String(key));
        var people = Enumerable.Range(0, 2_000_000).Select(_ => "09" + random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture)).ToArray();
        var hashes = people.Select(personal.Hash).ToArray();
        var phones = people.Select(personal.Encrypt).ToArray();
        var seen = new HashSet<(int, int, int)>();
        var counts = new Dictionary<(int Venue, int Day), int>();
        var rows = new List<(long Venue, int Person, DateTimeOffset At)>(checkInCount);
        while (rows.Count < checkInCount)
        {
            var venue = active[random.Next(active.Length)];
            var person = random.Next(people.Length);
            var day = random.Next(days);
            var at = CityTime.StartOfDay(firstDay.AddDays(day)).AddSeconds(random.Next(86_400));
            if (seen.Add((person, venue, (int)CheckIn.MinuteOf(at))))
            {
                rows.Add((firstId + venue, person, at));
                counts[(venue, day)] = counts.GetValueOrDefault((venue, day)) + 1;
            }
        }

        seen.Clear();
        await InsertCheckInsAsync(connection, rows, hashes, phones);
        await InsertDaysAsync(connection, [.. counts.Select(c => (firstId + c.Key.Venue, firstDay.AddDays(c.Key.Day), c.Value, venues[c.Key.Venue].Ward))]);
    }

    private static async Task<long> InsertVenuesAsync(DbConnection connection, (Ward Ward, DateOnly Created)[] venues, Random random)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO "Venues" ("Code", "Name", "Kind", "Address", "WardCode", "DistrictCode", "UnitPath", "SearchText", "OwnerName", "OwnerPhone", "ManageKeyHash", "CreatedAt", "CreatedDay", "CreatedBy", "Version")
                VALUES (@code, @name, 'shop', 'Bench address', @ward, @district, @path, @name, 'Bench owner', '0900000000', @hash, @at, @day, 'bench', 0)
                """;
            var code = CheckInLoad.Parameter(command, "code");
            var name = CheckInLoad.Parameter(command, "name");
            var ward = CheckInLoad.Parameter(command, "ward");
            var district = CheckInLoad.Parameter(command, "district");
            var path = CheckInLoad.Parameter(command, "path");
            var hash = CheckInLoad.Parameter(command, "hash");
            var at = CheckInLoad.Parameter(command, "at");
            var day = CheckInLoad.Parameter(command, "day");
            hash.Value = new byte[32];
            var postgres = connection is NpgsqlConnection;
            for (var i = 0; i < venues.Length; i++)
            {
                code.Value = Venue.NewCode();
                name.Value = string.Create(CultureInfo.InvariantCulture, $"bench venue {i}");
                ward.Value = venues[i].Ward.Code;
                district.Value = venues[i].Ward.District;
                path.Value = venues[i].Ward.Path;
                var created = CityTime.StartOfDay(venues[i].Created).AddSeconds(random.Next(86_400));
                at.Value = postgres ? created.ToUniversalTime() : SqliteCitizenDb.StoredTime(created);
                day.Value = postgres ? venues[i].Created : venues[i].Created.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                await command.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
        await using var first = connection.CreateCommand();
        first.CommandText = """SELECT max("Id") FROM "Venues" WHERE "CreatedBy" = 'bench' AND "Name" = 'bench venue 0'""";
        return Convert.ToInt64(await first.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task InsertCheckInsAsync(DbConnection connection, List<(long Venue, int Person, DateTimeOffset At)> rows, byte[][] hashes, byte[][] phones)
    {
        if (connection is NpgsqlConnection npgsql)
        {
            await using var copy = await npgsql.BeginBinaryImportAsync(
                """COPY "CheckIns" ("VenueId", "PhoneHash", "Phone", "At", "Minute", "Source") FROM STDIN (FORMAT BINARY)""");
            foreach (var (venue, person, at) in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(venue, NpgsqlDbType.Bigint);
                await copy.WriteAsync(hashes[person], NpgsqlDbType.Bytea);
                await copy.WriteAsync(phones[person], NpgsqlDbType.Bytea);
                await copy.WriteAsync(at.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(CheckIn.MinuteOf(at), NpgsqlDbType.Bigint);
                await copy.WriteAsync((short)CheckInSource.Page, NpgsqlDbType.Smallint);
            }

            await copy.CompleteAsync();
            return;
        }

        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA cache_size = -2000000";
            await pragma.ExecuteNonQueryAsync();
        }

        for (var start = 0; start < rows.Count; start += 500_000)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO "CheckIns" ("VenueId", "PhoneHash", "Phone", "At", "Minute", "Source") VALUES (@venue, @hash, @phone, @at, @minute, 1)
                """;
            var venue = CheckInLoad.Parameter(command, "venue");
            var hash = CheckInLoad.Parameter(command, "hash");
            var phone = CheckInLoad.Parameter(command, "phone");
            var at = CheckInLoad.Parameter(command, "at");
            var minute = CheckInLoad.Parameter(command, "minute");
            command.Prepare();
            foreach (var row in rows.Skip(start).Take(500_000))
            {
                venue.Value = row.Venue;
                hash.Value = hashes[row.Person];
                phone.Value = phones[row.Person];
                at.Value = SqliteCitizenDb.StoredTime(row.At);
                minute.Value = CheckIn.MinuteOf(row.At);
                await command.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }
    }

    private static async Task InsertDaysAsync(DbConnection connection, List<(long Venue, DateOnly Day, int Scans, Ward Ward)> days)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO "VenueDays" ("VenueId", "Day", "Scans", "DistrictCode", "WardCode") VALUES (@venue, @day, @scans, @district, @ward)
            """;
        var venue = CheckInLoad.Parameter(command, "venue");
        var day = CheckInLoad.Parameter(command, "day");
        var scans = CheckInLoad.Parameter(command, "scans");
        var district = CheckInLoad.Parameter(command, "district");
        var ward = CheckInLoad.Parameter(command, "ward");
        var postgres = connection is NpgsqlConnection;
        foreach (var d in days)
        {
            venue.Value = d.Venue;
            day.Value = postgres ? d.Day : d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            scans.Value = d.Scans;
            district.Value = d.Ward.District;
            ward.Value = d.Ward.Code;
            await command.ExecuteNonQueryAsync();
        }

        await using (var wards = connection.CreateCommand())
        {
            wards.Transaction = transaction;
            wards.CommandText = """
                INSERT INTO "WardDays" ("WardCode", "Day", "DistrictCode", "Scans")
                SELECT "WardCode", "Day", min("DistrictCode"), sum("Scans") FROM "VenueDays" WHERE true GROUP BY "WardCode", "Day"
                ON CONFLICT ("WardCode", "Day") DO UPDATE SET "Scans" = excluded."Scans"
                """;
            await wards.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }
}
