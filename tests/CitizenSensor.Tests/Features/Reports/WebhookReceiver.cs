using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>An app back-end (or Facebook's Graph API) for the tests: a real HTTP server on a loopback port that records what it receives.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();
    private readonly Queue<int> _answers = new();
    private readonly Dictionary<string, (byte[] Body, string ContentType)> _files = [];

    private WebhookReceiver(WebApplication app) => _app = app;

    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, string Body, string Query = "");

    public Uri Address { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapGet("/{**path}", (HttpContext http) =>
        {
            lock (receiver._files)
            {
                return receiver._files.TryGetValue(http.Request.Path, out var file) ? Results.Bytes(file.Body, file.ContentType) : Results.NotFound();
            }
        });
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            int status;
            lock (receiver._answers)
            {
                status = receiver._answers.TryDequeue(out var next) ? next : 204;
            }

            await receiver._received.Writer.WriteAsync(new Received(http.Request.Path, headers, body, http.Request.QueryString.Value ?? ""));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        receiver.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    /// <summary>Serves a file at the path (GET), like a CDN holding a photo.</summary>
    public Uri Serve(string path, byte[] body, string contentType)
    {
        lock (_files)
        {
            _files[path] = (body, contentType);
        }

        return new Uri(Address, path);
    }

    /// <summary>The next requests are answered with these statuses, then 204 again.</summary>
    public void AnswerNext(params int[] statuses)
    {
        lock (_answers)
        {
            foreach (var status in statuses)
            {
                _answers.Enqueue(status);
            }
        }
    }

    /// <summary>The next request received, waiting at most 20 s (bounded; not a timing assertion).</summary>
    public async Task<Received> NextAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>True when nothing arrives within the wait (used to show that something was not sent).</summary>
    public async Task<bool> NothingWithinAsync(TimeSpan wait)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            await _received.Reader.WaitToReadAsync(timeout.Token);
            return false;
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
