using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace CitizenSensor.Bench;

/// <summary>
/// Submit → routed latency under load: posts reports at a fixed rate (open loop) to a running portal on loopback,
/// then reads every report back and measures, on the server's own clock, how long it took from submission to the
/// routing decision (classifiedAt − submittedAt), next to the HTTP latency of the 201.
/// <c>load-reports --url http://127.0.0.1:5080 --rate 200 --seconds 30</c>
/// </summary>
public static class ReportLoad
{
    private static readonly (string Text, double Lat, double Lng)[] Samples =
    [
        ("Quán cà phê trong hẻm vẫn cho khách ngồi uống tại chỗ, không đeo khẩu trang", 10.7798, 106.6990),
        ("Công viên sáng nay rất đông người tập thể dục, nhiều người không đeo khẩu trang", 10.7743, 106.6926),
        ("Nhà bên cạnh tụ tập nhậu, hát karaoke tới 2 giờ sáng", 10.8387, 106.6653),
        ("Hàng xóm là F1 nhưng vẫn đi chợ mỗi sáng, không khai báo", 21.0288, 105.8525),
        ("Đề xuất thành phố mở thêm điểm tiêm vắc xin cho người già", 21.0368, 105.8347),
        ("Cho hỏi xin giấy đi đường ở đâu ạ?", 10.7496, 106.6510),
        ("Tiệm tóc vẫn mở cửa cắt tóc cho khách", 21.0277, 105.8355),
        ("Chợ tự phát họp trước cổng khu dân cư, rất đông người chen chúc", 10.7950, 106.7218),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = new Uri(CommandLine.Option(args, "--url") ?? "http://127.0.0.1:5080");
        var rate = int.Parse(CommandLine.Option(args, "--rate") ?? "200", CultureInfo.InvariantCulture);
        var seconds = int.Parse(CommandLine.Option(args, "--seconds") ?? "30", CultureInfo.InvariantCulture);
        if (!baseUrl.IsLoopback || rate is < 1 or > 5000 || seconds is < 1 or > 600)
        {
            await Console.Error.WriteLineAsync("load-reports: loopback only, --rate 1..5000, --seconds 1..600.");
            return 2;
        }

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        var total = rate * seconds;
        var codes = new string?[total];
        var httpMs = new double[total];
        var tasks = new Task[total];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var wait = TimeSpan.FromSeconds((double)i / rate) - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var n = i;
            tasks[i] = Task.Run(async () =>
            {
                var sample = Samples[n % Samples.Length];
                // Spread over a few kilometres around each sample point, as a city's reports are.
                var jitter = new Random(n);
                sample.Lat += (jitter.NextDouble() - 0.5) * 0.04;
                sample.Lng += (jitter.NextDouble() - 0.5) * 0.04;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.PostAsJsonAsync("/api/v1/reports", new { description = $"{sample.Text} (#{n})", lat = sample.Lat, lng = sample.Lng });
                    if (response.IsSuccessStatusCode)
                    {
                        codes[n] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // counted as an error below
                }

                httpMs[n] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            });
        }

        await Task.WhenAll(tasks);
        var offeredSeconds = clock.Elapsed.TotalSeconds;
        var accepted = codes.Where(c => c is not null).Select(c => c!).ToList();

        // Read every report back (bounded): the server's timestamps give submit → routing decision.
        var processedMs = new List<double>();
        var unprocessed = 0;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        foreach (var chunk in accepted.Chunk(64))
        {
            var results = await Task.WhenAll(chunk.Select(async code =>
            {
                while (true)
                {
                    var report = await client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/{code}");
                    if (report.GetProperty("classifiedAt").ValueKind == JsonValueKind.String)
                    {
                        return (report.GetProperty("classifiedAt").GetDateTimeOffset() - report.GetProperty("submittedAt").GetDateTimeOffset()).TotalMilliseconds;
                    }

                    if (DateTime.UtcNow > deadline)
                    {
                        return double.NaN;
                    }

                    await Task.Delay(100);
                }
            }));
            processedMs.AddRange(results.Where(double.IsFinite));
            unprocessed += results.Count(double.IsNaN);
        }

        Array.Sort(httpMs);
        processedMs.Sort();
        static double P(IReadOnlyList<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{total} reports offered in {offeredSeconds:0.0} s ({rate}/s): {accepted.Count} acknowledged (201), {total - accepted.Count} failed, {unprocessed} not processed within 120 s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"HTTP 201 latency ms: p50 {P(httpMs, 50):0.0} p90 {P(httpMs, 90):0.0} p99 {P(httpMs, 99):0.0} max {httpMs[^1]:0.0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"submit → routing decision ms (server clock): p50 {P(processedMs, 50):0.0} p90 {P(processedMs, 90):0.0} p99 {P(processedMs, 99):0.0} max {(processedMs.Count > 0 ? processedMs[^1] : double.NaN):0.0}"));
        return accepted.Count == total && unprocessed == 0 ? 0 : 1;
    }
}
