using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Venues;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CitizenSensor.Bench;

/// <summary>
/// Check-in throughput over HTTP, closed loop: <c>--connections</c> clients each post check-ins (one per request, or
/// <c>--batch N</c> per request to /batch) as fast as the server answers, for <c>--seconds</c>. Before that, the same
/// clients hit a trivial endpoint of the same server (the HTTP ceiling). Afterwards it reads the database itself and
/// checks that every acknowledged check-in is there (phones hashed with the server's <c>--key</c>).
/// <c>--kill-pid P --kill-after S</c> sends SIGKILL to the server S seconds into the run (the crash check).
/// <c>load-checkins --url http://127.0.0.1:5080 --db "sqlite:Data Source=/tmp/cs.db" --key BASE64 --seconds 20 --connections 64</c>
/// </summary>
public static class CheckInLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = new Uri(CommandLine.Option(args, "--url") ?? "http://127.0.0.1:5080");
        var seconds = int.Parse(CommandLine.Option(args, "--seconds") ?? "20", CultureInfo.InvariantCulture);
        var ceilingSeconds = int.Parse(CommandLine.Option(args, "--ceiling-seconds") ?? "5", CultureInfo.InvariantCulture);
        var connections = int.Parse(CommandLine.Option(args, "--connections") ?? "64", CultureInfo.InvariantCulture);
        var batch = int.Parse(CommandLine.Option(args, "--batch") ?? "1", CultureInfo.InvariantCulture);
        var venueCount = int.Parse(CommandLine.Option(args, "--venues") ?? "200", CultureInfo.InvariantCulture);
        var db = CommandLine.Option(args, "--db");
        var key = CommandLine.Option(args, "--key");
        var killPid = CommandLine.Option(args, "--kill-pid");
        var killAfter = double.Parse(CommandLine.Option(args, "--kill-after") ?? "0", CultureInfo.InvariantCulture);
        if (!baseUrl.IsLoopback || seconds is < 1 or > 600 || connections is < 1 or > 1024 || batch is < 1 or > 1000 || db is null || key is null)
        {
            await Console.Error.WriteLineAsync("load-checkins: loopback only; --seconds 1..600, --connections 1..1024, --batch 1..1000; --db sqlite:CONN|postgres:CONN and --key (the server's Privacy:DataKey) are required.");
            return 2;
        }

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var venues = new List<string>();
        for (var i = 0; i < venueCount; i++)
        {
            var response = await client.PostAsJsonAsync("/api/v1/venues", new
            {
                name = $"Điểm bench {i}",
                kind = "shop",
                address = $"{i} phố Bench",
                wardCode = i % 2 == 0 ? "00004" : "26743", // Phường Ba Đình and Phường Bến Thành: wards since 1 July 2025, where venues register today
                ownerName = "Bench",
                ownerPhone = "0909" + (100000 + i).ToString(CultureInfo.InvariantCulture),
            });
            response.EnsureSuccessStatusCode();
            venues.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!);
        }

        var before = await CountAsync(db);
        if (ceilingSeconds > 0)
        {
            var ceiling = await ClosedLoopAsync(connections, TimeSpan.FromSeconds(ceilingSeconds), async _ =>
            {
                using var response = await client.GetAsync("/favicon.ico");
                return response.StatusCode == HttpStatusCode.MovedPermanently ? 1 : -1;
            }, null);
            Report("ceiling GET /favicon.ico (no database)", ceiling, 1);
        }

        // Phones unique in this run (start from a random block), so every accepted check-in is a new row.
        var next = Random.Shared.NextInt64(0, 40_000_000);
        var acked = new ConcurrentBag<(string Venue, string Phone, DateTimeOffset At)>();
        var path = batch == 1 ? "/api/v1/checkins" : "/api/v1/checkins/batch";
        Action? kill = killPid is null ? null : () => Process.GetProcessById(int.Parse(killPid, CultureInfo.InvariantCulture)).Kill();
        var result = await ClosedLoopAsync(connections, TimeSpan.FromSeconds(seconds), async worker =>
        {
            var items = new (string Venue, string Phone)[batch];
            for (var i = 0; i < batch; i++)
            {
                var n = Interlocked.Increment(ref next);
                items[i] = (venues[(int)(n % venues.Count)], "09" + (10_000_000 + n % 89_999_999).ToString(CultureInfo.InvariantCulture));
            }

            var at = DateTimeOffset.UtcNow;
            var json = batch == 1
                ? $$"""{"venueCode":"{{items[0].Venue}}","phone":"{{items[0].Phone}}","at":"{{at:O}}"}"""
                : "{\"items\":[" + string.Join(',', items.Select(x => $$"""{"venueCode":"{{x.Venue}}","phone":"{{x.Phone}}","at":"{{at:O}}"}""")) + "]}";
            using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
            if (batch == 1)
            {
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    return -1;
                }

                acked.Add((items[0].Venue, items[0].Phone, at));
                return 1;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return -1;
            }

            var outcome = await response.Content.ReadFromJsonAsync<JsonElement>();
            var results = outcome.GetProperty("results");
            for (var i = 0; i < batch; i++)
            {
                if (results[i].GetProperty("status").GetString() == "accepted")
                {
                    acked.Add((items[i].Venue, items[i].Phone, at));
                }
            }

            return outcome.GetProperty("accepted").GetInt32();
        }, killAfter > 0 ? (TimeSpan.FromSeconds(killAfter), kill) : null);
        Report($"POST {path} ({batch} per request)", result, batch);

        var after = await CountAsync(db);
        var missing = await MissingAsync(db, key, acked.ToList());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"acknowledged {acked.Count}; rows added {after - before}; acknowledged but missing from the database: {missing}"));
        return missing == 0 && (killPid is not null || after - before == acked.Count) ? 0 : 1;
    }

    internal sealed record LoopResult(int Requests, int Errors, long Items, double Seconds, double[] Latencies);

    internal static async Task<LoopResult> ClosedLoopAsync(int connections, TimeSpan duration, Func<int, Task<int>> call, (TimeSpan After, Action? Kill)? crash)
    {
        var latencies = new ConcurrentBag<double>();
        long items = 0;
        var errors = 0;
        var clock = Stopwatch.StartNew();
        var killed = false;
        var workers = Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                if (crash is { } c && !killed && clock.Elapsed >= c.After && Interlocked.Exchange(ref killed, true) == false)
                {
                    c.Kill?.Invoke();
                }

                var started = Stopwatch.GetTimestamp();
                try
                {
                    var n = await call(worker);
                    if (n < 0)
                    {
                        Interlocked.Increment(ref errors);
                    }
                    else
                    {
                        Interlocked.Add(ref items, n);
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref errors);
                    if (killed)
                    {
                        return; // the server is gone: stop this client
                    }
                }
            }
        })).ToList();
        await Task.WhenAll(workers);
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        return new LoopResult(sorted.Length + errors, errors, items, clock.Elapsed.TotalSeconds, sorted);
    }

    internal static void Report(string what, LoopResult r, int perRequest, string items = "check-ins")
    {
        double P(double p) => r.Latencies.Length == 0 ? double.NaN : r.Latencies[Math.Min(r.Latencies.Length - 1, (int)Math.Ceiling(p / 100 * r.Latencies.Length) - 1)];
        var max = r.Latencies.Length > 0 ? r.Latencies[^1] : double.NaN;
        var perItem = perRequest > 1 ? $", {r.Items / r.Seconds:0} {items}/s" : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {r.Requests} requests in {r.Seconds:0.0} s = {r.Requests / r.Seconds:0} req/s{perItem}, errors {r.Errors}; latency ms p50 {P(50):0.00} p99 {P(99):0.00} max {max:0.00}"));
    }

    /// <summary>A named parameter added to the command, for the benches that write straight into the database.</summary>
    internal static DbParameter Parameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    internal static DbConnection Open(string db)
    {
        DbConnection connection = db.StartsWith("postgres:", StringComparison.Ordinal)
            ? new NpgsqlConnection(db["postgres:".Length..])
            : new SqliteConnection(db["sqlite:".Length..]);
        connection.Open();
        return connection;
    }

    private static async Task<long> CountAsync(string db)
    {
        await using var connection = Open(db);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT count(*) FROM "CheckIns" """;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>How many acknowledged check-ins have no row (venue, keyed hash of the phone, minute).</summary>
    private static async Task<int> MissingAsync(string db, string key, List<(string Venue, string Phone, DateTimeOffset At)> acked)
    {
        var personal = new PersonalData(Convert.FromBase64String(key));
        await using var connection = Open(db);
        var ids = new Dictionary<string, long>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """SELECT "Code", "Id" FROM "Venues" """;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var stored = new HashSet<(long, string, long)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """SELECT "VenueId", "PhoneHash", "Minute" FROM "CheckIns" """;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stored.Add((reader.GetInt64(0), Convert.ToBase64String((byte[])reader[1]), reader.GetInt64(2)));
            }
        }

        return acked.Count(a => !stored.Contains((ids[a.Venue], Convert.ToBase64String(personal.Hash(a.Phone)), CheckIn.MinuteOf(a.At))));
    }
}
