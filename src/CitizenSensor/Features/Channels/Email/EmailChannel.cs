using System.Collections.Concurrent;
using System.Text.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Reports.Webhooks;
using CitizenSensor.Infrastructure;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace CitizenSensor.Features.Channels.Email;

/// <summary>
/// Sends the outbox's e-mails through the SMTP relay (MailKit), each as a reply in the resident's thread: "Re: subject",
/// In-Reply-To the resident's latest message, References the thread. Answers are marked automatic (RFC 3834
/// <c>Auto-Submitted: auto-replied</c>, <c>X-Loop</c>) so well-behaved responders do not answer them, and their
/// Message-ID carries the report code so a reply finds its report. At most <see cref="EmailOptions.SmtpConnections"/>
/// connections to the relay are open at once, and they are reused while fresh: a burst of answers does not open one
/// connection per message.
/// </summary>
public sealed class EmailChannel(EmailOptions options, PublicSite site, IServiceScopeFactory scopes, OutboxRecipients recipients, TimeProvider time) : IMessageChannel, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.SmtpConnections));
    private readonly ConcurrentBag<(SmtpClient Client, DateTimeOffset IdleSince)> _idle = [];

    public string Kind => WebhookDelivery.Email;

    public async Task<SendOutcome> SendAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Deserialize<EmailPayload>(delivery.Payload, Json)!;
        var to = await recipients.AddressAsync(delivery.Url, cancellationToken);
        if (to is null)
        {
            return SendOutcome.Failure("The address was erased before this message went out (the follower stopped following, or the report's retention ended); not sent.", final: true);
        }

        var message = await ComposeAsync(delivery, payload, to, threaded: !OutboxRecipients.IsFollower(delivery.Url), cancellationToken);
        await _slots.WaitAsync(cancellationToken);
        SmtpClient? client = null;
        try
        {
            client = TakeIdle();
            if (client is not null)
            {
                try
                {
                    await client.SendAsync(message, cancellationToken);
                }
                catch (Exception ex) when (ex is ServiceNotConnectedException or IOException or SmtpProtocolException && !cancellationToken.IsCancellationRequested)
                {
                    // The relay closed the idle connection: one new connection, then the usual outcome.
                    client.Dispose();
                    client = null;
                }
            }

            if (client is null)
            {
                client = await ConnectAsync(cancellationToken);
                await client.SendAsync(message, cancellationToken);
            }

            _idle.Add((client, time.GetUtcNow()));
            client = null; // back in the pool
            return SendOutcome.Success(250);
        }
        catch (SmtpCommandException ex)
        {
            // 5xx: the relay will never take it (unknown mailbox, refused); 4xx: try again later.
            var code = (int)ex.StatusCode;
            return SendOutcome.Failure($"SMTP {code}: {ex.Message}", final: code >= 500, code);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or System.Net.Sockets.SocketException or ServiceNotConnectedException
            or ServiceNotAuthenticatedException or MailKit.Security.AuthenticationException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return SendOutcome.Failure($"SMTP: {ex.Message}", final: false);
        }
        finally
        {
            client?.Dispose(); // a connection that failed is not reused
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var idle))
        {
            await QuitAsync(idle.Client);
        }
    }

    /// <summary>A pooled connection that is still open and fresh; stale ones are closed on the way.</summary>
    private SmtpClient? TakeIdle()
    {
        while (_idle.TryTake(out var idle))
        {
            if (idle.Client.IsConnected && time.GetUtcNow() - idle.IdleSince < options.SmtpIdle)
            {
                return idle.Client;
            }

            _ = QuitAsync(idle.Client);
        }

        return null;
    }

    private async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            await client.ConnectAsync(options.Smtp.Host!, options.Smtp.Port, options.Smtp.Security, cancellationToken);
            if (!string.IsNullOrEmpty(options.Smtp.User))
            {
                await client.AuthenticateAsync(options.Smtp.User, options.Smtp.Password ?? "", cancellationToken);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task QuitAsync(SmtpClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(quit: true, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SmtpProtocolException or ServiceNotConnectedException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            // closing anyway
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task<MimeMessage> ComposeAsync(WebhookDelivery delivery, EmailPayload payload, string to, bool threaded, CancellationToken cancellationToken)
    {
        var (subject, inReplyTo, root) = (payload.Subject, payload.InReplyTo, (string?)null);
        if (threaded && payload.Code is not null && delivery.ReportId is { } reportId)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
            var thread = await db.Set<EmailThread>().AsNoTracking()
                .Where(t => db.Reports.IgnoreQueryFilters().Any(r => r.Id == reportId && r.IdempotencyKey == t.Key))
                .SingleOrDefaultAsync(cancellationToken);
            if (thread is not null)
            {
                (subject, inReplyTo, root) = (thread.Subject, thread.LastMessageId, thread.RootMessageId);
            }
        }

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(options.DisplayName, options.Address));
        message.To.Add(MailboxAddress.Parse(to));
        var code = payload.Code is null ? "" : $" [1022 #{payload.Code}]";
        var baseSubject = string.IsNullOrWhiteSpace(subject) ? "Phản ánh / Report" : subject.Trim();
        // A web or app reporter's mail starts its own thread: no "Re:" on the first one.
        message.Subject = (inReplyTo is null || baseSubject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? baseSubject : "Re: " + baseSubject)
            + (baseSubject.Contains(code.Trim(), StringComparison.Ordinal) ? "" : code);
        message.MessageId = payload.Code is null ? $"{delivery.MessageId:N}@{options.Domain}" : IncomingMail.OurMessageId(payload.Code, delivery.MessageId, options.Domain);
        if (inReplyTo is not null)
        {
            message.InReplyTo = inReplyTo;
            if (root is not null && root != inReplyTo)
            {
                message.References.Add(root);
            }

            message.References.Add(inReplyTo);
        }

        message.Date = delivery.CreatedAt;
        message.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        message.Headers.Add("X-Loop", options.Address);
        message.Headers.Add("X-Auto-Response-Suppress", "All");
        var text = payload.Text;
        var siteRoot = string.IsNullOrWhiteSpace(options.PublicBaseUrl) ? site.BaseUrl : options.PublicBaseUrl.TrimEnd('/');
        if (payload.Link is not null)
        {
            text += $"\n{siteRoot}{payload.Link}";
        }

        if (payload.Code is not null)
        {
            text += $"\n\n{SharedResource.Format("EmailTrack", System.Globalization.CultureInfo.GetCultureInfo("vi"))} {siteRoot}/r/{payload.Code}";
        }

        message.Body = new TextPart("plain") { Text = text + "\n\n-- \n" + options.DisplayName + " <" + options.Address + ">" };
        return message;
    }
}
