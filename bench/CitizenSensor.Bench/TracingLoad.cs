using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenSensor.Infrastructure;

namespace CitizenSensor.Bench;

/// <summary>
/// Tracing over a city's check-ins (issue 16, point 7). <c>--seed</c> first writes a city straight into the database of
/// a migrated portal (<see cref="TracingSeed"/>): <c>--people</c> residents, <c>--checkins</c> check-ins over the last
/// <c>--days</c> days at <c>--venues</c> venues, and <c>--gatherings</c> crowded events of <c>--crowd</c> people each.
/// Then, over HTTP as a health officer of the city, it opens <c>--cases</c> cases (F0) of random residents and traces
/// each once (the first trace, which keeps what it finds) and again (nothing new), printing the times; then opens a
/// case for one person of each gathering, traces it (about <c>--crowd</c> F1s) and traces it again with F2.
/// <c>trace --url http://127.0.0.1:5080 --db "sqlite:Data Source=/tmp/cs.db" --key BASE64 --email E --password P --unit 01 --seed</c>
/// (<c>--seed --seed-only</c> seeds and stops; a later run without <c>--seed</c> traces on what is there).
/// </summary>
public static class TracingLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = TracingSeed.Options.From(args);
        var baseUrl = new Uri(CommandLine.Option(args, "--url") ?? "http://127.0.0.1:5080");
        var cases = int.Parse(CommandLine.Option(args, "--cases") ?? "200", CultureInfo.InvariantCulture);
        if (!baseUrl.IsLoopback || options.Db is null || options.Key is null || cases is < 1 or > 10_000)
        {
            await Console.Error.WriteLineAsync("trace: loopback only; --db sqlite:CONN|postgres:CONN and --key (the server's Privacy:DataKey) are required, --cases 1..10000.");
            return 2;
        }

        var seed = new TracingSeed(options);
        if (args.Contains("--seed"))
        {
            await seed.WriteAsync();
            if (args.Contains("--seed-only"))
            {
                return 0;
            }
        }

        var wards = await seed.WardCodesAsync();
        using var http = await FiguresTiming.StaffClientAsync(baseUrl, args);
        var random = new Random(16 + int.Parse(CommandLine.Option(args, "--run") ?? "0", CultureInfo.InvariantCulture)); // another --run picks other residents
        var picked = Enumerable.Range(0, cases).Select(_ => random.Next(options.People)).Where(p => !seed.InGathering(p)).Distinct().ToList();
        var first = new List<double>();
        var again = new List<double>();
        var found = new List<int>();
        foreach (var person in picked)
        {
            var id = await OpenAsync(http, TracingSeed.PhoneOf(person), wards[random.Next(wards.Count)]);
            var (ms, result) = await TraceAsync(http, id, false);
            first.Add(ms);
            found.Add(result.GetProperty("people").GetInt32());
            again.Add((await TraceAsync(http, id, false)).Ms);
        }

        Print("first trace of a case", first);
        Print("same case traced again", again);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  F1s per case: mean {found.Average():0.0}, max {found.Max()}"));
        for (var g = 0; g < options.Gatherings; g++)
        {
            var id = await OpenAsync(http, TracingSeed.PhoneOf(TracingSeed.GatheringCase(g)), wards[random.Next(wards.Count)]);
            var (f1Ms, f1) = await TraceAsync(http, id, false);
            var (f2Ms, f2) = await TraceAsync(http, id, true);
            var (againMs, _) = await TraceAsync(http, id, true);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"gathering {g}: F1 trace {f1Ms:0} ms ({f1.GetProperty("people")} F1s, {f1.GetProperty("caseCheckIns")} check-ins of the case); with F2 {f2Ms:0} ms ({f2.GetProperty("secondPeople")} F2s, {f2.GetProperty("tasksRaised")} tasks raised); with F2 again {againMs:0} ms"));
        }

        return 0;
    }

    private static async Task<long> OpenAsync(HttpClient http, string phone, string ward)
    {
        var today = CityTime.DayOf(DateTimeOffset.UtcNow);
        using var response = await http.PostAsJsonAsync("/api/v1/tracing/cases",
            new { phone, name = "Bench case", testDate = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), isolation = "home", ward });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Opening a case answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static async Task<(double Ms, JsonElement Result)> TraceAsync(HttpClient http, long id, bool secondGeneration)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.PostAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/tracing/cases/{id}/trace?f2={(secondGeneration ? "true" : "false")}"), null);
        var body = await response.Content.ReadAsStringAsync();
        var ms = watch.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Tracing case {id} answered {(int)response.StatusCode}: {body}");
        }

        return (ms, JsonDocument.Parse(body).RootElement.Clone());
    }

    private static void Print(string what, List<double> times)
    {
        var sorted = times.Order().ToList();
        double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {sorted.Count} cases, ms p50 {At(0.50):0.0} p95 {At(0.95):0.0} p99 {At(0.99):0.0} max {sorted[^1]:0.0}"));
    }
}
