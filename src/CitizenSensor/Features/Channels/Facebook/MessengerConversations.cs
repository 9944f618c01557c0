using CitizenSensor.Data;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Reports.Attachments;
using CitizenSensor.Features.Reports.Webhooks;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Channels.Facebook;

/// <summary>
/// Turns a conversation into a report. A message with a description (10 characters or more) files the report, with
/// the location and photos sent before it; without a shared location the text itself is the address to match. While
/// the report is open, further messages are added to it as notes. Replies go through the outbox like status changes.
/// </summary>
public sealed partial class MessengerConversations(CitizenDb db, ReportIntake intake, MessengerChannel messenger, AttachmentOptions attachments, ReportFiles files, TimeProvider time, ILogger<MessengerConversations> logger)
{
    public const string ResidentAuthor = "Người phản ánh (Messenger)";

    public async Task HandleAsync(MessengerIncoming message, CancellationToken cancellationToken)
    {
        if (await db.Set<MessengerMessageSeen>().AnyAsync(m => m.Mid == message.Mid, cancellationToken))
        {
            return; // Facebook delivered it again
        }

        var now = time.GetUtcNow();
        db.Add(new MessengerMessageSeen { Mid = message.Mid, At = now });
        var conversation = await db.Set<MessengerConversation>().SingleOrDefaultAsync(c => c.Psid == message.Psid, cancellationToken);
        if (conversation is null)
        {
            conversation = new MessengerConversation { Psid = message.Psid };
            db.Add(conversation);
        }

        conversation.UpdatedAt = now;
        var open = conversation.ReportId is { } id
            ? await db.Reports.IgnoreQueryFilters().SingleOrDefaultAsync(r => r.Id == id && r.Status != ReportStatus.Resolved && r.Status != ReportStatus.Rejected, cancellationToken)
            : null;
        if (open is not null)
        {
            await AddToReportAsync(open, message, now, cancellationToken);
        }
        else
        {
            await DraftOrFileAsync(conversation, message, now, cancellationToken);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            await files.DiscardAsync(); // the photos a follow-up added go with the rows that were not saved
            throw;
        }
    }

    /// <summary>A follow-up: its text and location as a note, its photos as the report's files (Facebook's links expire).</summary>
    private async Task AddToReportAsync(Report report, MessengerIncoming message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        if (!string.IsNullOrWhiteSpace(message.Text))
        {
            lines.Add(message.Text.Trim());
        }

        if (message.Lat is { } lat && message.Lng is { } lng)
        {
            lines.Add($"Vị trí / location: {MessengerWebhookApi.Coordinates(lat, lng)}");
        }

        if (message.ImageUrls.Count > 0)
        {
            var room = await files.RoomAsync(report.Id, cancellationToken);
            var fetched = await FetchAsync([.. message.ImageUrls.Take(room)], cancellationToken);
            lines.Add(await files.AddAsync(report.Id, fetched, message.ImageUrls.Count, room, cancellationToken));
        }

        if (lines.Count == 0)
        {
            return;
        }

        db.ReportNotes.Add(new ReportNote { ReportId = report.Id, At = now, Author = ResidentAuthor, Text = PlainText.Shorten(string.Join("\n", lines), ReportRules.MaxDescription - 1) });
        db.Add(WebhookOutbox.Messenger(message.Psid, SharedResource.Bilingual("MessengerAppended", report.Code), now, report.Id, "reply"));
    }

    private async Task DraftOrFileAsync(MessengerConversation conversation, MessengerIncoming message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(message.Text))
        {
            // Cut to what a report's description holds (Shorten adds an ellipsis): a long message is still a report.
            conversation.DraftText = PlainText.Shorten(string.Join("\n", new[] { conversation.DraftText, message.Text.Trim() }.Where(t => t is not null)), ReportRules.MaxDescription - 1);
        }

        (conversation.DraftLat, conversation.DraftLng) = message.Lat is not null ? (message.Lat, message.Lng) : (conversation.DraftLat, conversation.DraftLng);
        var images = (conversation.DraftImages?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? []).Concat(message.ImageUrls).Take(attachments.MaxFiles).ToList();
        conversation.DraftImages = images.Count == 0 ? null : string.Join('\n', images);

        var text = conversation.DraftText ?? "";
        if (text.Length < ReportRules.MinDescription)
        {
            db.Add(WebhookOutbox.Messenger(message.Psid, SharedResource.Bilingual("MessengerNeedText"), now, null, "reply"));
            return;
        }

        var files = await FetchAsync(images, cancellationToken);
        var submission = new ReportSubmission(text, conversation.DraftLat, conversation.DraftLng,
            conversation.DraftLat is null ? PlainText.Shorten(text, ReportRules.MaxAddress - 1) : null, null, null, false);
        var result = await intake.SubmitAsync(submission, ReportChannels.Facebook, $"messenger:{message.Mid}", cancellationToken, files, channelAddress: message.Psid);
        if (result.Report is { } report && result.Outcome is IntakeOutcome.Created or IntakeOutcome.Replayed)
        {
            // The acknowledgement with the code is the report's own "received" message, queued with it.
            conversation.ReportId = report.Id;
            (conversation.DraftText, conversation.DraftLat, conversation.DraftLng, conversation.DraftImages) = (null, null, null, null);
            return;
        }

        var why = string.Join(" ", result.Errors.SelectMany(e => e.Value));
        conversation.DraftText = null; // what was refused is not kept
        db.Add(WebhookOutbox.Messenger(message.Psid, SharedResource.Bilingual("MessengerNotAccepted", why), now, null, "reply"));
    }

    /// <summary>Downloads the photos the resident sent (Facebook's CDN), guarded and bounded; a failed one is skipped.</summary>
    private async Task<List<IncomingFile>> FetchAsync(List<string> urls, CancellationToken cancellationToken)
    {
        var files = new List<IncomingFile>();
        if (urls.Count == 0)
        {
            return files;
        }

        foreach (var (url, index) in urls.Select((u, i) => (u, i)))
        {
            try
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                {
                    continue;
                }

                using var response = await messenger.PhotoClient.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > attachments.MaxPhotoBytes)
                {
                    continue;
                }

                var bytes = new byte[attachments.MaxPhotoBytes + 1];
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                var length = await stream.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken);
                if (length > attachments.MaxPhotoBytes)
                {
                    continue;
                }

                var data = bytes.AsMemory(0, length).ToArray();
                files.Add(new IncomingFile($"files[{index}]", $"messenger-{index + 1}", length, () => new MemoryStream(data)));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogPhotoSkipped(logger, ex.Message);
            }
        }

        return files;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Messenger photo could not be fetched: {Why}")]
    private static partial void LogPhotoSkipped(ILogger logger, string why);
}
