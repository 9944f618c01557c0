using CitizenSensor.Data;
using MailKit;
using MailKit.Net.Imap;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace CitizenSensor.Features.Channels.Email;

/// <summary>
/// Polls the 1022 mailbox over IMAP (ADR 0008). Each message is handled (filed, added to its report, or ignored) and
/// committed first, and only then moved to the processed folder: a crash in between leaves it in the inbox, and the
/// next poll finds it already handled (by Message-ID) and just moves it. Several nodes may poll the same mailbox; the
/// Message-ID table and the report's idempotency key keep each message to one report.
/// </summary>
public sealed partial class MailboxPoller(EmailOptions options, IServiceScopeFactory scopes, TimeProvider time, ILogger<MailboxPoller> logger) : BackgroundService
{
    private const int BatchSize = 50;

    /// <summary>Message-IDs are kept this long against re-delivery and for the per-sender loop limit.</summary>
    public static readonly TimeSpan KeepSeen = TimeSpan.FromDays(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastCleanup = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                handled = await PollOnceAsync(stoppingToken);
                if (time.GetUtcNow() - lastCleanup > TimeSpan.FromHours(1))
                {
                    await DeleteOldSeenAsync(stoppingToken);
                    lastCleanup = time.GetUtcNow();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogPollFailed(logger, ex);
            }

            if (handled < BatchSize)
            {
                await Task.Delay(options.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Handles up to one batch of the inbox; returns how many messages were handled and moved.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        using var imap = new ImapClient { Timeout = 60_000 };
        await imap.ConnectAsync(options.Imap.Host!, options.Imap.Port, options.Imap.Security, cancellationToken);
        await imap.AuthenticateAsync(options.Imap.User ?? options.Address, options.Imap.Password ?? "", cancellationToken);
        var inbox = await imap.GetFolderAsync(options.Inbox, cancellationToken);
        await inbox.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        if (inbox.Count == 0)
        {
            await imap.DisconnectAsync(quit: true, cancellationToken);
            return 0;
        }

        var processed = await ProcessedFolderAsync(imap, cancellationToken);
        var summaries = await inbox.FetchAsync(0, Math.Min(inbox.Count, BatchSize) - 1, MessageSummaryItems.UniqueId | MessageSummaryItems.Size, cancellationToken);
        var handled = 0;
        foreach (var summary in summaries)
        {
            var size = summary.Size ?? 0;
            try
            {
                var message = size > options.MaxMessageBytes
                    ? HeadersOnly(await inbox.GetHeadersAsync(summary.UniqueId, cancellationToken))
                    : await inbox.GetMessageAsync(summary.UniqueId, cancellationToken);
                await using (var scope = scopes.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<EmailReports>().HandleAsync(message, size, cancellationToken);
                }

                await inbox.MoveToAsync(summary.UniqueId, processed, cancellationToken);
                handled++;
            }
            catch (Exception ex) when (ex is DbUpdateException or FormatException or ParseException or ImapCommandException)
            {
                // Another node handled it at the same moment, or it cannot be read: it stays in the inbox for the next poll.
                LogMessageFailed(logger, summary.UniqueId.Id, ex);
            }
        }

        await imap.DisconnectAsync(quit: true, cancellationToken);
        return handled;
    }

    private async Task<IMailFolder> ProcessedFolderAsync(ImapClient imap, CancellationToken cancellationToken)
    {
        try
        {
            return await imap.GetFolderAsync(options.ProcessedFolder, cancellationToken);
        }
        catch (FolderNotFoundException)
        {
            var root = imap.GetFolder(imap.PersonalNamespaces[0]);
            return await root.CreateAsync(options.ProcessedFolder, isMessageFolder: true, cancellationToken)
                ?? throw new InvalidOperationException($"The folder {options.ProcessedFolder} could not be created.");
        }
    }

    /// <summary>A message too large to download, as far as its headers tell (enough to answer the sender).</summary>
    private static MimeMessage HeadersOnly(HeaderList headers)
    {
        using var stream = new MemoryStream();
        headers.WriteTo(stream);
        stream.Write("\r\n"u8);
        stream.Position = 0;
        return MimeMessage.Load(stream);
    }

    private async Task DeleteOldSeenAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var before = time.GetUtcNow() - KeepSeen;
        await scope.ServiceProvider.GetRequiredService<CitizenDb>().Set<EmailMessageSeen>().Where(m => m.At < before).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Polling the 1022 mailbox failed")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {Uid} in the 1022 mailbox could not be handled; it stays in the inbox")]
    private static partial void LogMessageFailed(ILogger logger, uint uid, Exception exception);
}
