using System.Diagnostics;
using System.Globalization;

namespace CitizenSensor.Bench;

/// <summary>
/// An open-loop HTTP load generator: requests start at a fixed rate whether or not earlier ones have finished
/// (so a slow server shows up as latency, not as a politely lower rate), for a bounded time, to loopback only.
/// <c>load --url http://127.0.0.1:5000/api/v1/units/resolve?lat=10.78&amp;lng=106.70 --rate 200 --seconds 30</c>
/// </summary>
public static class LoadGenerator
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = CommandLine.Option(args, "--url") ?? "http://127.0.0.1:5000/api/v1/units/resolve?lat=10.7798&lng=106.6990";
        var rate = int.Parse(CommandLine.Option(args, "--rate") ?? "200", CultureInfo.InvariantCulture);
        var seconds = int.Parse(CommandLine.Option(args, "--seconds") ?? "30", CultureInfo.InvariantCulture);
        var uri = new Uri(url);
        if (!uri.IsLoopback)
        {
            await Console.Error.WriteLineAsync("load: only loopback addresses (127.0.0.1, localhost, [::1]) are allowed.");
            return 2;
        }

        if (rate is < 1 or > 20_000 || seconds is < 1 or > 600)
        {
            await Console.Error.WriteLineAsync("load: --rate 1..20000 per second, --seconds 1..600.");
            return 2;
        }

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { Timeout = TimeSpan.FromSeconds(10) };
        var total = rate * seconds;
        var latencies = new double[total];
        var statuses = new int[total];
        var tasks = new Task[total];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var n = i;
            tasks[i] = Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.GetAsync(uri);
                    await response.Content.LoadIntoBufferAsync();
                    statuses[n] = (int)response.StatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    statuses[n] = -1;
                }

                latencies[n] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            });
        }

        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        double Percentile(double p) => latencies[Math.Min(total - 1, (int)Math.Ceiling(p / 100 * total) - 1)];
        var errors = statuses.Count(s => s is < 200 or >= 400);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{total} requests in {elapsed:0.0} s ({total / elapsed:0} req/s offered {rate}/s), errors {errors}; latency ms p50 {Percentile(50):0.00} p90 {Percentile(90):0.00} p99 {Percentile(99):0.00} max {latencies[^1]:0.00}"));
        return errors == 0 ? 0 : 1;
    }
}
