using System.Text.Json;
using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports.Webhooks;

/// <summary>The message an app back-end receives when its report changes (the body of a webhook).</summary>
public sealed record WebhookMessage(string Type, DateTimeOffset Timestamp, WebhookReportChange Data);

/// <summary>
/// The outbox body of an e-mail: the text, and either the report it is about (the channel threads it) or, for a
/// message that filed nothing, the subject and Message-ID it answers. <paramref name="Link"/> is a page of the portal
/// (a site path) the channel puts on its own line after the text: a follower's confirm or stop link.
/// </summary>
public sealed record EmailPayload(string Text, string? Code, string? Subject, string? InReplyTo, string? Link = null);

/// <summary>What the outbox keeps of a text message: the text; the number is opened when it is sent.</summary>
public sealed record SmsPayload(string Text);

public sealed record WebhookReportChange(string Code, string Status, DateTimeOffset OccurredAt, string? PublicNote, string? Result, string Report);

/// <summary>
/// Turns each public status change of a report that has a webhook into an outbox row, just before the change is saved,
/// whichever code made the change (the processor, an officer, the triage desk). Called by <see cref="CitizenDb"/>.
/// </summary>
public static class WebhookOutbox
{
    /// <summary>Messenger allows 2,000 characters a message.</summary>
    public const int MaxMessengerText = 2000;

    public const string StatusChanged = "report.status-changed";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The Send API request body for a status change (developers.facebook.com/docs/messenger-platform/reference/send-api):
    /// the acknowledgement answers the resident's message (<c>RESPONSE</c>); later changes may come after Messenger's
    /// 24-hour window, so they carry the <c>ACCOUNT_UPDATE</c> message tag.
    /// </summary>
    private static WebhookDelivery MessengerMessage(Report report, ReportEvent change)
    {
        var status = ReportViews.StatusCode(change.Status);
        var text = change.Status == ReportStatus.Received
            ? SharedResource.Bilingual("MessengerReceived", report.Code)
            : $"1022: {report.Code}: {SharedResource.BilingualStatus(status)}"
              + (change.Status == ReportStatus.Resolved && report.PublicResult is { } result ? $"\n{result}" : change.PublicNote is { } note ? $" ({note})" : "");
        var message = Messenger(ReporterData.Recipient(report.Id), text, change.At, report.Id, status, tag: change.Status != ReportStatus.Received);
        message.Source = change;
        return message;
    }

    /// <summary>
    /// A Messenger message to one resident: an answer to their message, or (tagged) a later update. <paramref name="psid"/>
    /// is the resident's page-scoped id, or <see cref="ReporterData.Recipient"/> for a report's resident (the channel opens
    /// the sealed id when it sends).
    /// </summary>
    public static WebhookDelivery Messenger(string psid, string text, DateTimeOffset at, Guid? reportId, string status, bool tag = false)
    {
        var message = new { text = Infrastructure.PlainText.Shorten(text, MaxMessengerText - 1) };
        var body = tag
            ? (object)new { recipient = new { id = psid }, messaging_type = "MESSAGE_TAG", tag = "ACCOUNT_UPDATE", message }
            : new { recipient = new { id = psid }, messaging_type = "RESPONSE", message };
        return Queued(WebhookDelivery.Messenger, psid, reportId, status, body, at);
    }

    /// <summary>
    /// An e-mail answer for a report: the text is fixed now; the thread headers (subject, In-Reply-To) and the tracking
    /// link are added by the e-mail channel when it sends.
    /// </summary>
    private static WebhookDelivery EmailMessage(Report report, ReportEvent change)
    {
        var status = ReportViews.StatusCode(change.Status);
        var text = change.Status switch
        {
            ReportStatus.Received => SharedResource.Bilingual(report.Channel == ReportChannels.Email ? "EmailReceived" : "EmailReceivedWeb", report.Code),
            ReportStatus.Resolved => SharedResource.Bilingual("EmailResolved", report.Code, report.PublicResult ?? change.PublicNote ?? ""),
            _ => $"{SharedResource.Bilingual("EmailStatus", report.Code)}\n{SharedResource.BilingualStatus(status)}"
                 + (change.PublicNote is { } note ? $"\n{note}" : ""),
        };
        var message = Email(ReporterData.Recipient(report.Id), new EmailPayload(text, report.Code, null, null), change.At, report.Id, status);
        message.Source = change;
        return message;
    }

    /// <summary>A status change for someone who follows the report: the reporter's words, and the link to stop following.</summary>
    private static WebhookDelivery FollowerMessage(Report report, ReportEvent change, Follower follower)
    {
        var status = ReportViews.StatusCode(change.Status);
        var text = SharedResource.Bilingual("FollowUpdateMail", report.Code) + "\n"
            + (change.Status == ReportStatus.Resolved
                ? SharedResource.Bilingual("EmailResolved", report.Code, report.PublicResult ?? change.PublicNote ?? "")
                : SharedResource.BilingualStatus(status) + (change.PublicNote is { } note ? $"\n{note}" : ""))
            + "\n\n" + SharedResource.Bilingual("FollowStopLink");
        var message = Email(Following.ReportFollowing.Recipient(follower.Id),
            new EmailPayload(text, report.Code, null, null, Following.ReportFollower.LinkPath(report.Code, follower.Id, follower.Token)), change.At, report.Id, status);
        message.Source = change;
        return message;
    }

    /// <summary>An e-mail to one resident: about a report (threaded by the channel), or an answer to a message that filed nothing.</summary>
    public static WebhookDelivery Email(string address, EmailPayload payload, DateTimeOffset at, Guid? reportId, string status) =>
        Queued(WebhookDelivery.Email, address, reportId, status, payload, at);

    /// <summary>A text message to one phone, through the SMS gateway; <paramref name="recipient"/> names its sealed number.</summary>
    public static WebhookDelivery Sms(string recipient, string text, DateTimeOffset at, string status) =>
        Queued(WebhookDelivery.Sms, recipient, null, status, new SmsPayload(text), at);

    /// <summary>A new outbox row, due at once.</summary>
    private static WebhookDelivery Queued(string kind, string url, Guid? reportId, string status, object body, DateTimeOffset at) => new()
    {
        Kind = kind,
        MessageId = Guid.CreateVersion7(at),
        ReportId = reportId,
        Url = url,
        Status = status,
        Payload = JsonSerializer.Serialize(body, Json),
        CreatedAt = at,
        NextAttemptAt = at,
    };

    /// <summary>Queues the messages for the report changes about to be saved (the synchronous SaveChanges).</summary>
    public static void Collect(CitizenDb db)
    {
        if (Pending(db) is not { } pending)
        {
            return;
        }

        var followers = pending.Followed.Count == 0 ? [] : FollowersOf(db, pending.Followed).ToList();
        Queue(db, pending, followers);
    }

    /// <summary>Queues the messages for the report changes about to be saved.</summary>
    public static async Task CollectAsync(CitizenDb db, CancellationToken cancellationToken)
    {
        if (Pending(db) is not { } pending)
        {
            return;
        }

        var followers = pending.Followed.Count == 0 ? [] : await FollowersOf(db, pending.Followed).ToListAsync(cancellationToken);
        Queue(db, pending, followers);
    }

    private sealed record PendingChanges(List<ReportEvent> Events, Dictionary<Guid, Report> Reports, List<Guid> Followed);

    private sealed record Follower(Guid Id, Guid ReportId, string Token);

    /// <summary>The new report events not yet queued, and their reports (tracked with them).</summary>
    private static PendingChanges? Pending(CitizenDb db)
    {
        db.ChangeTracker.DetectChanges();
        var events = db.ChangeTracker.Entries<ReportEvent>()
            .Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity)
            .ToList();
        if (events.Count == 0)
        {
            return null;
        }

        var already = db.ChangeTracker.Entries<WebhookDelivery>().Select(d => d.Entity.Source).OfType<ReportEvent>().ToHashSet();
        events.RemoveAll(already.Contains);
        var reports = db.ChangeTracker.Entries<Report>().ToDictionary(r => r.Entity.Id, r => r.Entity);
        // A report's first event (received) comes before anyone can follow it.
        var followed = events.Where(e => e.Status != ReportStatus.Received && reports.ContainsKey(e.ReportId)).Select(e => e.ReportId).Distinct().ToList();
        return events.Count == 0 ? null : new PendingChanges(events, reports, followed);
    }

    private static IQueryable<Follower> FollowersOf(CitizenDb db, List<Guid> reportIds) =>
        db.Set<Following.ReportFollower>().AsNoTracking()
            .Where(f => reportIds.Contains(f.ReportId) && f.ConfirmedAt != null)
            .Select(f => new Follower(f.Id, f.ReportId, f.Token));

    private static void Queue(CitizenDb db, PendingChanges pending, List<Follower> followers)
    {
        foreach (var change in pending.Events)
        {
            if (!pending.Reports.TryGetValue(change.ReportId, out var report))
            {
                continue;
            }

            if (report.Channel == ReportChannels.Facebook && report.SealedChannelAddress is not null)
            {
                db.Add(MessengerMessage(report, change));
            }

            // The 1022 mailbox's residents, and web and app reporters who gave an e-mail (ReporterMailOptions).
            if (report.Channel is ReportChannels.Email or ReportChannels.Web or ReportChannels.App && report.SealedChannelAddress is not null)
            {
                db.Add(EmailMessage(report, change));
            }

            if (change.Status != ReportStatus.Received)
            {
                foreach (var follower in followers.Where(f => f.ReportId == report.Id))
                {
                    db.Add(FollowerMessage(report, change, follower));
                }
            }

            if (report.WebhookUrl is null || change.Status == ReportStatus.Received)
            {
                continue;
            }

            var message = new WebhookMessage(StatusChanged, change.At, new WebhookReportChange(
                report.Code, ReportViews.StatusCode(change.Status), change.At, change.PublicNote,
                change.Status == ReportStatus.Resolved ? report.PublicResult : null, $"/api/v1/reports/{report.Code}"));
            var delivery = Queued(WebhookDelivery.Webhook, report.WebhookUrl, report.Id, message.Data.Status, message, change.At);
            delivery.Source = change;
            db.Add(delivery);
        }
    }
}
