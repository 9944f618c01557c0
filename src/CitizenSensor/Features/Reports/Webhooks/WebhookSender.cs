using System.Net;
using System.Text;
using System.Threading.Channels;
using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports.Webhooks;

/// <summary>
/// Sends the outbox: each due delivery is leased (so several app nodes can share the work), posted with its
/// Standard Webhooks signature, and marked delivered on a 2xx answer. Anything else is retried on the configured
/// schedule; a refused address, a 410 Gone or the last attempt ends it. Redirects are not followed (a redirect
/// could lead past the address guard) and no proxy is used.
/// </summary>
public sealed partial class WebhookSender : BackgroundService
{
    private const int BatchSize = 20;

    /// <summary>
    /// How long a node holds the batch it claimed before another node may take it over (if this one died): longer than
    /// the slowest batch, where e-mails wait for one of the node's few relay connections (20 × 30 s over 4 = 150 s).
    /// </summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private const string UserAgent = "CitizenSensor-Webhooks/1";

    private readonly IServiceScopeFactory _scopes;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookSender> _logger;
    private readonly HttpClient _http;
    private readonly IMessageChannel[] _channels;

    /// <summary>The kinds this node can send: webhooks, and the channels configured here. Other nodes send the rest.</summary>
    private readonly string[] _kinds;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public WebhookSender(IServiceScopeFactory scopes, ReportSignal signal, WebhookOptions options, TimeProvider time, ILogger<WebhookSender> logger, IEnumerable<IMessageChannel> channels)
    {
        (_scopes, _options, _time, _logger) = (scopes, options, time, logger);
        _channels = [.. channels];
        _kinds = [WebhookDelivery.Webhook, .. _channels.Select(c => c.Kind)];
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = (context, cancellationToken) => NetworkGuard.ConnectAsync(context.DnsEndPoint, options.AllowPrivateNetworks, cancellationToken),
        };
        _http = new HttpClient(handler) { Timeout = options.Timeout };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        signal.Changed += _ => _wake.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastCleanup = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            int sent;
            try
            {
                sent = await SendDueAsync(stoppingToken);
                if (_time.GetUtcNow() - lastCleanup > TimeSpan.FromHours(1))
                {
                    await DeleteFinishedAsync(stoppingToken);
                    lastCleanup = _time.GetUtcNow();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRoundFailed(_logger, ex);
                sent = 0;
            }

            if (sent == 0)
            {
                using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                poll.CancelAfter(_options.PollInterval);
                try
                {
                    await _wake.Reader.ReadAsync(poll.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // the poll interval passed
                }
            }
        }
    }

    /// <summary>Sends one batch of due deliveries; returns how many it tried.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var now = _time.GetUtcNow();
        var kinds = _kinds;

        // Of a kind this node sends, due, not leased, and the oldest unfinished message of its report (a report's changes
        // arrive in order). Messages about no report (a channel's prompts and refusals) are in order per recipient, so
        // that one resident's failing message does not hold back everyone else's.
        var due = await db.WebhookDeliveries
            .Where(d => d.DeliveredAt == null && d.GaveUpAt == null && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now) && kinds.Contains(d.Kind))
            .Where(d => !db.WebhookDeliveries.Any(o => o.Id < d.Id && o.DeliveredAt == null && o.GaveUpAt == null
                && ((d.ReportId != null && o.ReportId == d.ReportId) || (d.ReportId == null && o.ReportId == null && o.Kind == d.Kind && o.Url == d.Url))))
            .OrderBy(d => d.NextAttemptAt)
            .Select(d => d.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        var owner = Guid.NewGuid();
        var leaseUntil = now + Lease;
        await db.WebhookDeliveries
            .Where(d => due.Contains(d.Id) && d.DeliveredAt == null && d.GaveUpAt == null && (d.LeaseUntil == null || d.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, leaseUntil).SetProperty(d => d.LeaseOwner, owner), cancellationToken);
        var deliveries = await db.WebhookDeliveries.Where(d => d.LeaseOwner == owner).ToListAsync(cancellationToken);
        var reportIds = deliveries.Where(d => d.ReportId is not null).Select(d => d.ReportId!.Value).Distinct().ToList();
        var subscriptions = await db.Reports.IgnoreQueryFilters()
            .Where(r => reportIds.Contains(r.Id))
            .ToDictionaryAsync(r => r.Id, r => (r.WebhookUrl, r.WebhookSecret), cancellationToken);

        await Task.WhenAll(deliveries.Select(d =>
            d.Kind != WebhookDelivery.Webhook ? SendOnChannelAsync(d, cancellationToken)
            : d.ReportId is { } reportId && subscriptions.GetValueOrDefault(reportId) is { WebhookUrl: not null } subscription ? AttemptAsync(d, subscription.WebhookSecret, cancellationToken)
            : Unsubscribed(d)));

        // 410 Gone: the receiver wants nothing more about this report; its webhook is removed with this batch.
        var gone = deliveries.Where(d => d.Kind == WebhookDelivery.Webhook && d.LastStatusCode == (int)HttpStatusCode.Gone).Select(d => d.ReportId!.Value).Distinct().ToList();
        if (gone.Count > 0)
        {
            await db.Reports.IgnoreQueryFilters().Where(r => gone.Contains(r.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.WebhookUrl, (string?)null), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return deliveries.Count;
    }

    private Task AttemptAsync(WebhookDelivery delivery, string? secret, CancellationToken cancellationToken)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        var messageId = "msg_" + delivery.MessageId.ToString("N");
        var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (secret is not null)
        {
            request.Headers.Add("webhook-signature", WebhookSignature.Sign(secret, messageId, timestamp, delivery.Payload));
        }

        // The receiver says "stop sending" with 410 Gone.
        return SendAsync(delivery, token => SendOutcome.OverHttpAsync(_http, request, status => status == HttpStatusCode.Gone, token), cancellationToken);
    }

    /// <summary>A message for a resident on another channel (Messenger, e-mail), sent by that channel.</summary>
    private Task SendOnChannelAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var channel = _channels.First(c => c.Kind == delivery.Kind); // only the kinds configured here are claimed
        return SendAsync(delivery, token => channel.SendAsync(delivery, token), cancellationToken);
    }

    private async Task SendAsync(WebhookDelivery delivery, Func<CancellationToken, Task<SendOutcome>> send, CancellationToken cancellationToken)
    {
        var outcome = await send(cancellationToken);
        delivery.Attempts++;
        delivery.LeaseUntil = null;
        delivery.LeaseOwner = null;
        delivery.LastStatusCode = outcome.StatusCode ?? delivery.LastStatusCode;
        if (outcome.Delivered)
        {
            delivery.DeliveredAt = _time.GetUtcNow();
            delivery.LastError = null;
            return;
        }

        var error = outcome.Error ?? "Not delivered.";
        delivery.LastError = error.Length > 500 ? error[..500] : error;
        if (outcome.Final || delivery.Attempts > _options.RetryDelays.Length)
        {
            delivery.GaveUpAt = _time.GetUtcNow();
            LogGaveUp(_logger, delivery.Id, delivery.Attempts, delivery.LastError);
        }
        else
        {
            delivery.NextAttemptAt = _time.GetUtcNow() + _options.RetryDelays[delivery.Attempts - 1];
        }
    }

    /// <summary>A message queued before its report's webhook was removed (410 Gone) is not sent.</summary>
    private Task Unsubscribed(WebhookDelivery delivery)
    {
        (delivery.LeaseUntil, delivery.LeaseOwner) = (null, null);
        delivery.GaveUpAt = _time.GetUtcNow();
        delivery.LastError = "The receiver answered 410 Gone to an earlier message.";
        return Task.CompletedTask;
    }

    private async Task DeleteFinishedAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var before = _time.GetUtcNow() - _options.KeepFinished;
        await db.WebhookDeliveries.Where(d => (d.DeliveredAt != null && d.DeliveredAt < before) || (d.GaveUpAt != null && d.GaveUpAt < before))
            .ExecuteDeleteAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending webhooks failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} given up after {Attempts} attempts: {Error}")]
    private static partial void LogGaveUp(ILogger logger, long deliveryId, int attempts, string? error);
}
