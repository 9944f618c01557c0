using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CitizenSensor.Bench;

/// <summary>
/// Declaration throughput over HTTP, closed loop, like <see cref="CheckInLoad"/>: <c>--connections</c> clients each post
/// declarations (one per request; or <c>--batch N</c> per request to /batch with a partner's <c>--partner-key</c>) for
/// <c>--seconds</c>, after measuring the HTTP ceiling. About 1 in 20 declares fever or cough (a follow-up task each).
/// Afterwards it reads the database and checks that every acknowledged declaration id is there.
/// <c>--kill-pid P --kill-after S</c> sends SIGKILL to the server S seconds into the run.
/// <c>load-declarations --url http://127.0.0.1:5080 --db "sqlite:Data Source=/tmp/cs.db" --seconds 20 --connections 64</c>
/// </summary>
public static class DeclarationLoad
{
    private static readonly string[] Wards = ["00001", "00004", "00006", "00037", "26734", "26737"];

    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = new Uri(CommandLine.Option(args, "--url") ?? "http://127.0.0.1:5080");
        var seconds = int.Parse(CommandLine.Option(args, "--seconds") ?? "20", CultureInfo.InvariantCulture);
        var ceilingSeconds = int.Parse(CommandLine.Option(args, "--ceiling-seconds") ?? "5", CultureInfo.InvariantCulture);
        var connections = int.Parse(CommandLine.Option(args, "--connections") ?? "64", CultureInfo.InvariantCulture);
        var batch = int.Parse(CommandLine.Option(args, "--batch") ?? "1", CultureInfo.InvariantCulture);
        var partnerKey = CommandLine.Option(args, "--partner-key");
        var db = CommandLine.Option(args, "--db");
        var killPid = CommandLine.Option(args, "--kill-pid");
        var killAfter = double.Parse(CommandLine.Option(args, "--kill-after") ?? "0", CultureInfo.InvariantCulture);
        if (!baseUrl.IsLoopback || seconds is < 1 or > 600 || connections is < 1 or > 1024 || batch is < 1 or > 1000 || db is null || (batch > 1 && partnerKey is null))
        {
            await Console.Error.WriteLineAsync("load-declarations: loopback only; --seconds 1..600, --connections 1..1024, --batch 1..1000 (with --partner-key); --db sqlite:CONN|postgres:CONN is required.");
            return 2;
        }

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (partnerKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Partner-Key", partnerKey);
        }

        var before = await CountAsync(db);
        if (ceilingSeconds > 0)
        {
            var ceiling = await CheckInLoad.ClosedLoopAsync(connections, TimeSpan.FromSeconds(ceilingSeconds), async _ =>
            {
                using var response = await client.GetAsync("/favicon.ico");
                return response.StatusCode == HttpStatusCode.MovedPermanently ? 1 : -1;
            }, null);
            CheckInLoad.Report("ceiling GET /favicon.ico (no database)", ceiling, 1);
        }

        var next = Random.Shared.NextInt64(0, 40_000_000);
        var acked = new ConcurrentBag<long>();
        var path = batch == 1 ? "/api/v1/declarations" : "/api/v1/declarations/batch";
        Action? kill = killPid is null ? null : () => Process.GetProcessById(int.Parse(killPid, CultureInfo.InvariantCulture)).Kill();
        var result = await CheckInLoad.ClosedLoopAsync(connections, TimeSpan.FromSeconds(seconds), async _ =>
        {
            var items = Enumerable.Range(0, batch).Select(_ => Declaration(Interlocked.Increment(ref next))).ToList();
            var json = batch == 1 ? items[0] : "{\"items\":[" + string.Join(',', items) + "]}";
            using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
            if (batch == 1)
            {
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    return -1;
                }

                acked.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
                return 1;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return -1;
            }

            var outcome = await response.Content.ReadFromJsonAsync<JsonElement>();
            foreach (var item in outcome.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("status").GetString() == "accepted"))
            {
                acked.Add(item.GetProperty("id").GetInt64());
            }

            return outcome.GetProperty("accepted").GetInt32();
        }, killAfter > 0 ? (TimeSpan.FromSeconds(killAfter), kill) : null);
        CheckInLoad.Report($"POST {path} ({batch} per request)", result, batch, "declarations");

        var stored = await IdsAsync(db);
        var missing = acked.Count(id => !stored.Contains(id));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"acknowledged {acked.Count}; rows added {stored.Count - before}; acknowledged but missing from the database: {missing}"));
        return missing == 0 && (killPid is not null || stored.Count - before == acked.Count) ? 0 : 1;
    }

    /// <summary>A plausible declaration: a new person, one of a few wards, a place or two, 1 in 20 with fever or cough.</summary>
    private static string Declaration(long n)
    {
        var symptoms = n % 20 == 0 ? "\"fever\",\"cough\"" : n % 7 == 0 ? "\"fatigue\"" : "";
        var exposures = n % 50 == 0 ? "\"contact-confirmed\"" : "";
        var day = DateTime.UtcNow.AddDays(-(n % 10)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $$"""
            {"fullName":"Nguyễn Văn Bench {{n % 100_000}}","birthYear":{{1940 + n % 70}},"gender":"{{(n % 2 == 0 ? "male" : "female")}}",
             "phone":"09{{(10_000_000 + n % 89_999_999).ToString(CultureInfo.InvariantCulture)}}","citizenId":"001{{(100_000_000 + n % 899_999_999).ToString(CultureInfo.InvariantCulture)}}",
             "wardCode":"{{Wards[n % Wards.Length]}}","address":"{{n % 300}} phố Bench",
             "placesVisited":[{"place":"Chợ Bench {{n % 40}}","date":"{{day}}"}],"symptoms":[{{symptoms}}],"exposures":[{{exposures}}],"chronicConditions":""}
            """;
    }

    private static async Task<long> CountAsync(string db)
    {
        await using var connection = CheckInLoad.Open(db);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT count(*) FROM "Declarations" """;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<HashSet<long>> IdsAsync(string db)
    {
        await using var connection = CheckInLoad.Open(db);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Id" FROM "Declarations" """;
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new HashSet<long>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }
}
