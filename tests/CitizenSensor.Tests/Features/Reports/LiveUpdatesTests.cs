using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenSensor.Features.Staff;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>GET /api/v1/reports/{code}/events: the report now, then every change, as Server-Sent Events.</summary>
public sealed class LiveUpdatesTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_event_stream_sends_the_report_and_then_each_change()
    {
        var client = app.CreateClient();
        var code = await client.SubmitAsync(new { description = "Quán nhậu mở loa kẹo kéo hát karaoke tới khuya", address = "phường 1, quận 3" });
        await client.WaitProcessedAsync(code);
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "770");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        using var response = await app.CreateClient().GetAsync($"/api/v1/reports/{code}/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var first = await NextReportAsync(reader, timeout.Token);
        Assert.Equal("routed", first.Str("status"));

        await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/accept", new { }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        var second = await NextReportAsync(reader, timeout.Token);
        Assert.Equal("in-progress", second.Str("status"));
        Assert.DoesNotContain("reporter", second.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_event_stream_of_an_unknown_code_is_a_404()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/reports/ZZZZZZZZZZ/events", Cancel);

        await response.ReadProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task<JsonElement> NextReportAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? eventName = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == "report")
            {
                return JsonDocument.Parse(line[6..]).RootElement.Clone();
            }
        }

        throw new InvalidOperationException("The stream ended.");
    }
}
