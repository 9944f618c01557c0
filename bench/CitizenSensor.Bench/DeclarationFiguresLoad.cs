using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Declarations;
using CitizenSensor.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace CitizenSensor.Bench;

/// <summary>
/// The declaration figures over a city's worth of declarations. <c>--seed</c> first writes, straight into the database
/// of a migrated portal, <c>--declarations</c> declarations (10 million by default) over the <c>--days</c> reporting days
/// ("12:00 to 12:00") up to <c>--date</c> across the province's wards, shaped like the seed's Hà Nội of 23/9/2021:
/// 136,989 people that day, 88,098 the day before, 515 with cough, fever or difficulty breathing (235 by app, 280 by the
/// website) against 504. Each row carries a random person hash and a random sealed-size payload; the day figures are
/// the ones the writer keeps, under both day definitions. Then it times <c>GET /api/v1/stats/declarations</c>.
/// <c>declaration-figures --url http://127.0.0.1:5080 --db "sqlite:Data Source=/tmp/cs.db" --email E --password P --seed</c>
/// The portal must run with <c>Declarations__RetentionEnabled=false</c>, or its retention job deletes the 2021 rows.
/// </summary>
public static class DeclarationFiguresLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = new Uri(CommandLine.Option(args, "--url") ?? "http://127.0.0.1:5080");
        var db = CommandLine.Option(args, "--db");
        var date = DateOnly.ParseExact(CommandLine.Option(args, "--date") ?? "2021-09-23", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var unit = CommandLine.Option(args, "--unit") ?? "01";
        var runs = int.Parse(CommandLine.Option(args, "--runs") ?? "20", CultureInfo.InvariantCulture);
        if (!baseUrl.IsLoopback || db is null || runs is < 1 or > 1000)
        {
            await Console.Error.WriteLineAsync("declaration-figures: loopback only; --db sqlite:CONN|postgres:CONN is required, --runs 1..1000.");
            return 2;
        }

        if (args.Contains("--seed"))
        {
            var count = int.Parse(CommandLine.Option(args, "--declarations") ?? "10000000", CultureInfo.InvariantCulture);
            var days = int.Parse(CommandLine.Option(args, "--days") ?? "60", CultureInfo.InvariantCulture);
            var clock = Stopwatch.StartNew();
            await SeedAsync(db, unit, date, count, days);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {count:N0} declarations over {days} days in {clock.Elapsed.TotalSeconds:0} s"));
        }

        using var http = await FiguresTiming.StaffClientAsync(baseUrl, args);
        foreach (var day in new[] { "noon-to-noon", "calendar" })
        {
            var url = string.Create(CultureInfo.InvariantCulture, $"/api/v1/stats/declarations?date={date:yyyy-MM-dd}&unit={unit}&day={day}");
            var last = await FiguresTiming.TimeAsync(http, url, runs);
            var symptomatic = last.GetProperty("symptomatic");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  total {last.GetProperty("total")}, onDay {last.GetProperty("onDay")}, delta {last.GetProperty("deltaVsPreviousDay")}, symptomatic {symptomatic.GetProperty("onDay")} (delta {symptomatic.GetProperty("deltaVsPreviousDay")}, by source {symptomatic.GetProperty("bySource")}), districts {last.GetProperty("byDistrict").GetArrayLength()}"));
        }

        return 0;
    }

    private static readonly string[] FigureColumns = ["def", "day", "ward", "source", "district", "people", "sym"];

    private sealed record Ward(string Code, string District, string Path);

    private sealed record Row(DateTimeOffset At, Ward Ward, string Source, Symptoms Symptoms);

    private static async Task SeedAsync(string db, string province, DateOnly date, int count, int days)
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

        // People per reporting day: the seed's last two days, the rest spread evenly with some noise.
        var perDay = new int[days];
        var symptomaticPerDay = new int[days];
        perDay[^1] = 136_989;
        perDay[^2] = 88_098;
        symptomaticPerDay[^1] = 515;
        symptomaticPerDay[^2] = 504;
        var rest = count - perDay[^1] - perDay[^2];
        for (var d = 0; d < days - 2; d++)
        {
            perDay[d] = d == days - 3 ? rest - perDay[..d].Sum() : (int)(rest / (days - 2) * (0.8 + (random.NextDouble() * 0.4)));
            symptomaticPerDay[d] = perDay[d] / 250;
        }

        var figures = new Dictionary<(ReportingDay, DateOnly, string Ward, string Source), (string District, int People, int Symptomatic, int Exposed)>();
        void Count(ReportingDay definition, Row row)
        {
            var key = (definition, Declaration.ReportingDayOf(row.At, definition), row.Ward.Code, row.Source);
            var f = figures.GetValueOrDefault(key, (District: row.Ward.District, People: 0, Symptomatic: 0, Exposed: 0));
            figures[key] = (f.District, f.People + 1, f.Symptomatic + ((row.Symptoms & Symptoms.Warning) != 0 ? 1 : 0), f.Exposed);
        }

        IEnumerable<Row> Rows()
        {
            for (var d = 0; d < days; d++)
            {
                // Reporting day "12:00 the day before to 12:00".
                var start = CityTime.StartOfDay(date.AddDays(d - days + 1)).AddHours(-12);
                var appSymptomatic = d == days - 1 ? 235 : symptomaticPerDay[d] * 45 / 100;
                for (var i = 0; i < perDay[d]; i++)
                {
                    var symptomatic = i < symptomaticPerDay[d];
                    var source = symptomatic ? (i < appSymptomatic ? "app" : "web") : (random.Next(10) < 4 ? "app" : "web");
                    yield return new Row(start.AddSeconds(random.Next(86_400)), wards[random.Next(wards.Count)], source, symptomatic ? Symptoms.Fever | Symptoms.Cough : Symptoms.None);
                }
            }
        }

        var payload = new byte[160];
        var hash = new byte[32];
        var written = 0;
        if (connection is NpgsqlConnection npgsql)
        {
            await using var copy = await npgsql.BeginBinaryImportAsync(
                """COPY "Declarations" ("QuestionnaireVersion", "At", "Day", "Version", "PersonHash", "Payload", "WardCode", "DistrictCode", "UnitPath", "Symptoms", "Exposures", "Source") FROM STDIN (FORMAT BINARY)""");
            foreach (var row in Rows())
            {
                Count(ReportingDay.Calendar, row);
                Count(ReportingDay.NoonToNoon, row);
                random.NextBytes(hash);
                random.NextBytes(payload);
                await copy.StartRowAsync();
                await copy.WriteAsync(1, NpgsqlDbType.Integer);
                await copy.WriteAsync(row.At.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(CityTime.DayOf(row.At), NpgsqlDbType.Date);
                await copy.WriteAsync(1, NpgsqlDbType.Integer);
                await copy.WriteAsync(hash, NpgsqlDbType.Bytea);
                await copy.WriteAsync(payload, NpgsqlDbType.Bytea);
                await copy.WriteAsync(row.Ward.Code, NpgsqlDbType.Varchar);
                await copy.WriteAsync(row.Ward.District, NpgsqlDbType.Varchar);
                await copy.WriteAsync(row.Ward.Path, NpgsqlDbType.Varchar);
                await copy.WriteAsync((int)row.Symptoms, NpgsqlDbType.Integer);
                await copy.WriteAsync(0, NpgsqlDbType.Integer);
                await copy.WriteAsync(row.Source, NpgsqlDbType.Varchar);
                written++;
            }

            await copy.CompleteAsync();
        }
        else
        {
            await using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA cache_size = -2000000";
                await pragma.ExecuteNonQueryAsync();
            }

            DbTransaction? transaction = null;
            DbCommand? command = null;
            foreach (var row in Rows())
            {
                if (written % 500_000 == 0)
                {
                    if (transaction is not null)
                    {
                        await transaction.CommitAsync();
                        await transaction.DisposeAsync();
                        await command!.DisposeAsync();
                    }

                    transaction = await connection.BeginTransactionAsync();
                    command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = """
                        INSERT INTO "Declarations" ("QuestionnaireVersion", "At", "Day", "Version", "PersonHash", "Payload", "WardCode", "DistrictCode", "UnitPath", "Symptoms", "Exposures", "Source")
                        VALUES (1, @p0, @p1, 1, @p2, @p3, @p4, @p5, @p6, @p7, 0, @p8)
                        """;
                    for (var p = 0; p <= 8; p++)
                    {
                        var parameter = command.CreateParameter();
                        parameter.ParameterName = "@p" + p.ToString(CultureInfo.InvariantCulture);
                        command.Parameters.Add(parameter);
                    }

                    command.Prepare();
                }

                Count(ReportingDay.Calendar, row);
                Count(ReportingDay.NoonToNoon, row);
                random.NextBytes(hash);
                random.NextBytes(payload);
                object[] values = [SqliteCitizenDb.StoredTime(row.At), CityTime.DayOf(row.At).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), hash, payload,
                    row.Ward.Code, row.Ward.District, row.Ward.Path, (int)row.Symptoms, row.Source];
                for (var p = 0; p < values.Length; p++)
                {
                    command!.Parameters[p].Value = values[p];
                }

                await command!.ExecuteNonQueryAsync();
                written++;
            }

            await transaction!.CommitAsync();
            await transaction.DisposeAsync();
            await command!.DisposeAsync();
        }

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO "DeclarationDays" ("Definition", "Day", "WardCode", "Source", "DistrictCode", "People", "Symptomatic", "Exposed", "Submissions")
                VALUES (@def, @day, @ward, @source, @district, @people, @sym, 0, @people)
                """;
            var parameters = FigureColumns.Select(name =>
            {
                var parameter = insert.CreateParameter();
                parameter.ParameterName = "@" + name;
                insert.Parameters.Add(parameter);
                return parameter;
            }).ToArray();
            var postgres = connection is NpgsqlConnection;
            foreach (var ((definition, day, ward, source), f) in figures)
            {
                parameters[0].Value = postgres ? (short)definition : (int)definition;
                parameters[1].Value = postgres ? day : day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                parameters[2].Value = ward;
                parameters[3].Value = source;
                parameters[4].Value = f.District;
                parameters[5].Value = f.People;
                parameters[6].Value = f.Symptomatic;
                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{written:N0} declaration rows, {figures.Count:N0} day-figure rows"));
    }
}
