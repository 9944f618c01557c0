using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace CitizenSensor.Bench;

/// <summary>What the figures benchmarks share: a staff client (an API token from --email/--password) and the timing loop.</summary>
internal static class FiguresTiming
{
    public static async Task<HttpClient> StaffClientAsync(Uri baseUrl, string[] args)
    {
        var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        if (CommandLine.Option(args, "--email") is { } email && CommandLine.Option(args, "--password") is { } password)
        {
            var token = await http.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password, name = "bench figures" });
            token.EnsureSuccessStatusCode();
            http.DefaultRequestHeaders.Authorization = new("Bearer", (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        }

        return http;
    }

    /// <summary>GETs <paramref name="url"/> once to warm up, then <paramref name="runs"/> times; prints min, median and max; returns the last answer.</summary>
    public static async Task<JsonElement> TimeAsync(HttpClient http, string url, int runs)
    {
        var times = new List<double>();
        JsonElement last = default;
        for (var i = 0; i <= runs; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync(url);
            response.EnsureSuccessStatusCode();
            last = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (i > 0)
            {
                times.Add(watch.Elapsed.TotalMilliseconds); // the first answer warms the caches and is not counted
            }
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GET {url}: {runs} runs, ms min {times[0]:0} median {times[times.Count / 2]:0} max {times[^1]:0}"));
        return last;
    }
}
