using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>Submitting and following reports through the public API, as the mobile app does.</summary>
internal static class ReportClient
{
    public static object Valid(string description = "Quán cà phê ở hẻm 12 vẫn cho khách ngồi uống tại chỗ, không ai đeo khẩu trang", double? lat = 10.7798, double? lng = 106.6990, string? address = null) =>
        new { description, lat, lng, address };

    public static async Task<string> SubmitAsync(this HttpClient client, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reports") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return (await response.ReadJsonAsync(HttpStatusCode.Created)).Str("code");
    }

    /// <summary>Follows a report until the background processor has handled it (bounded; not a timing assertion).</summary>
    public static async Task<JsonElement> WaitProcessedAsync(this HttpClient client, string code)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var report = await (await client.GetAsync($"/api/v1/reports/{code}", TestContext.Current.CancellationToken)).ReadJsonAsync(HttpStatusCode.OK);
            if (report.Str("status") != "received" || DateTime.UtcNow > deadline)
            {
                return report;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
