using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using CitizenSensor.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// <c>GET /api/v1/reports/{code}/events</c>: the public view of a report as Server-Sent Events, sent at once and
/// again on every change. Changes made on this node arrive immediately; a 5-second re-read catches the ones made
/// on other nodes. A stream ends after 30 minutes (EventSource reconnects by itself).
/// </summary>
public static class ReportEventsApi
{
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxStream = TimeSpan.FromMinutes(30);

    public static RouteHandlerBuilder MapReportEvents(this RouteGroupBuilder group) =>
        group.MapGet("/{code}/events", Events).WithSummary("Live status of a report (text/event-stream)");

    internal static async Task<Results<ServerSentEventsResult<PublicReport>, ProblemHttpResult>> Events(string code, CitizenDb db, IServiceScopeFactory scopes, ReportSignal signal, CancellationToken cancellationToken)
    {
        var first = await ReportViews.LoadPublicAsync(db, code, cancellationToken);
        return first is null
            ? ReportsApi.NotFound(code)
            : TypedResults.ServerSentEvents(Stream(first, scopes, signal, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<PublicReport>> Stream(PublicReport first, IServiceScopeFactory scopes, ReportSignal signal, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        void OnChanged(string changed)
        {
            if (changed == first.Code)
            {
                wake.Writer.TryWrite(true);
            }
        }

        signal.Changed += OnChanged;
        try
        {
            var last = JsonSerializer.Serialize(first, JsonSerializerOptions.Web);
            yield return new SseItem<PublicReport>(first, "report");
            using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            lifetime.CancelAfter(MaxStream);
            while (!lifetime.IsCancellationRequested)
            {
                using (var pause = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token))
                {
                    pause.CancelAfter(Recheck);
                    try
                    {
                        await wake.Reader.ReadAsync(pause.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // time to re-read (or the stream's time is up)
                    }
                }

                if (lifetime.IsCancellationRequested)
                {
                    yield break;
                }

                PublicReport? current;
                await using (var scope = scopes.CreateAsyncScope())
                {
                    current = await ReportViews.LoadPublicAsync(scope.ServiceProvider.GetRequiredService<CitizenDb>(), first.Code, cancellationToken);
                }

                var json = current is null ? last : JsonSerializer.Serialize(current, JsonSerializerOptions.Web);
                if (current is not null && json != last)
                {
                    last = json;
                    yield return new SseItem<PublicReport>(current, "report");
                }
            }
        }
        finally
        {
            signal.Changed -= OnChanged;
        }
    }
}
