using System.Globalization;
using System.Net.Mail;
using CitizenSensor.Data;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Reports.Attachments;
using CitizenSensor.Features.Reports.Webhooks;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace CitizenSensor.Features.Channels.Email;

/// <summary>
/// Turns one message from the 1022 mailbox into a report (channel <c>email</c>), or adds it to the report its thread
/// belongs to, or ignores it (auto-replies, bounces, loops). The answers go through the outbox.
/// Nothing is marked handled before the report is committed: the mailbox poller moves the message only afterwards.
/// </summary>
public sealed partial class EmailReports(CitizenDb db, ReportIntake intake, EmailOptions options, AttachmentOptions attachments, ReportFiles files, TimeProvider time, PersonalData personal, ILogger<EmailReports> logger)
{
    public const string ResidentAuthor = "Người phản ánh (thư điện tử)";

    /// <summary>Handles one message; returns what became of it (kept in <see cref="EmailMessageSeen.Outcome"/>).</summary>
    public async Task<string> HandleAsync(MimeMessage message, long size, CancellationToken cancellationToken)
    {
        var messageId = IncomingMail.MessageId(message);
        if (await db.Set<EmailMessageSeen>().AsNoTracking().SingleOrDefaultAsync(m => m.MessageId == messageId, cancellationToken) is { } earlier)
        {
            return earlier.Outcome; // handled before a crash (or by another node) but not yet moved
        }

        var now = time.GetUtcNow();
        var from = IncomingMail.Sender(message);
        var address = from?.Address?.Trim() ?? "";
        var seen = new EmailMessageSeen { MessageId = messageId, Sender = PlainText.Shorten(address.ToLowerInvariant(), 250), At = now, Outcome = "" };
        var outcome = await DecideAsync(message, messageId, address, size, seen, now, cancellationToken);
        seen.Outcome = PlainText.Shorten(outcome, 290);
        db.Add(seen);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            await files.DiscardAsync(); // the files a reply added go with the rows that were not saved
            throw;
        }

        LogHandled(logger, seen.Outcome);
        return seen.Outcome;
    }

    private async Task<string> DecideAsync(MimeMessage message, string messageId, string address, long size, EmailMessageSeen seen, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (IncomingMail.AutomaticReason(message, options.Address) is { } automatic)
        {
            return $"ignored: {automatic}";
        }

        if (address.Length > 100 || !MailAddress.TryCreate(address, out _))
        {
            return "ignored: no usable sender address";
        }

        var hourAgo = now.AddHours(-1);
        if (await db.Set<EmailMessageSeen>().CountAsync(m => m.Sender == seen.Sender && m.At > hourAgo, cancellationToken) >= options.MaxPerSenderPerHour)
        {
            return $"ignored: more than {options.MaxPerSenderPerHour} messages from this sender in an hour (a loop?)";
        }

        var subject = PlainText.Shorten((message.Subject ?? "").Trim(), EmailThread.MaxSubject - 10);
        if (size > options.MaxMessageBytes)
        {
            Answer(address, SharedResource.Bilingual("EmailNotAccepted", SharedResource.Format("EmailTooLarge", CultureInfo.GetCultureInfo("vi"), options.MaxMessageBytes / 1024 / 1024)), subject, messageId, null, now);
            return "refused: too large";
        }

        if (await ThreadOfAsync(message, address, cancellationToken) is { } thread)
        {
            return await AddToReportAsync(thread.Report, thread.Thread, message, messageId, seen, now, cancellationToken);
        }

        return await FileAsync(message, messageId, address, subject, seen, now, cancellationToken);
    }

    /// <summary>
    /// The report this message answers: one of our answers it replies to (the code is in our Message-IDs), or the
    /// resident's own first message. Only mail from the address that filed the report is added to it. A web or app
    /// report whose reporter is told by e-mail has no thread of theirs: it is found by the code in our answer.
    /// </summary>
    private async Task<(Report Report, EmailThread? Thread)?> ThreadOfAsync(MimeMessage message, string address, CancellationToken cancellationToken)
    {
        var keys = IncomingMail.Ancestors(message).Select(EmailThread.KeyOf).ToList();
        var code = IncomingMail.ReferencedCode(message, options.Domain);
        if (code is null && keys.Count == 0)
        {
            return null;
        }

        var report = await db.Reports.IgnoreQueryFilters()
            .Where(r => (r.Channel == ReportChannels.Email && ((code != null && r.Code == code) || (r.IdempotencyKey != null && keys.Contains(r.IdempotencyKey))))
                || (code != null && r.Code == code && (r.Channel == ReportChannels.Web || r.Channel == ReportChannels.App)))
            .FirstOrDefaultAsync(cancellationToken);
        if (report is null || !string.Equals(personal.Open(report.SealedChannelAddress), address, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (report.Channel != ReportChannels.Email)
        {
            return (report, null);
        }

        var thread = await db.Set<EmailThread>().SingleOrDefaultAsync(t => t.Key == report.IdempotencyKey, cancellationToken);
        return thread is null ? null : (report, thread);
    }

    /// <summary>
    /// Adds a reply to its report: the text as a note, and its photos and videos as the report's attachments (checked
    /// and stripped like a new report's, up to the report's file limit). Files that are not kept are named in the note;
    /// the mail itself stays in the mailbox's processed folder.
    /// </summary>
    private async Task<string> AddToReportAsync(Report report, EmailThread? thread, MimeMessage message, string messageId, EmailMessageSeen seen, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var text = IncomingMail.Text(message);
        var media = message.BodyParts.OfType<MimePart>().Count(p => p.ContentType.MediaType is "image" or "video");
        if (media > 0)
        {
            var room = await files.RoomAsync(report.Id, cancellationToken);
            text += "\n" + await files.AddAsync(report.Id, IncomingMail.Media(message, room), media, room, cancellationToken);
        }

        if (!string.IsNullOrWhiteSpace(text))
        {
            db.ReportNotes.Add(new ReportNote { ReportId = report.Id, At = now, Author = ResidentAuthor, Text = PlainText.Shorten(text.Trim(), ReportRules.MaxDescription - 1) });
        }

        thread?.LastMessageId = PlainText.Shorten(messageId, EmailThread.MaxMessageId);
        seen.ReportId = report.Id;
        db.Add(WebhookOutbox.Email(ReporterData.Recipient(report.Id), new EmailPayload(SharedResource.Bilingual("EmailAppended", report.Code), report.Code, null, null), now, report.Id, "reply"));
        return $"appended to {report.Code}";
    }

    private async Task<string> FileAsync(MimeMessage message, string messageId, string address, string subject, EmailMessageSeen seen, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The thread goes first (committed on its own): the acknowledgement, queued with the report, must find it.
        var key = EmailThread.KeyOf(messageId);
        if (!await db.Set<EmailThread>().AnyAsync(t => t.Key == key, cancellationToken))
        {
            db.Add(new EmailThread { Key = key, Subject = subject, RootMessageId = messageId, LastMessageId = messageId });
            await db.SaveChangesAsync(cancellationToken);
        }

        var body = IncomingMail.Text(message);
        var text = PlainText.Shorten(string.Join("\n", new[] { subject, body }.Where(t => !string.IsNullOrWhiteSpace(t))), ReportRules.MaxDescription - 1);
        var submission = new ReportSubmission(text, null, null, PlainText.Shorten(text, ReportRules.MaxAddress - 1), null,
            new ReporterContact(SenderName(message), null, address), false);
        var result = await intake.SubmitAsync(submission, ReportChannels.Email, key, cancellationToken, IncomingMail.Media(message, attachments.MaxFiles), channelAddress: address);
        if (result.Report is { } report && result.Outcome is IntakeOutcome.Created or IntakeOutcome.Replayed)
        {
            seen.ReportId = report.Id; // the acknowledgement with the code is the report's own "received" message
            return $"filed {report.Code}";
        }

        var why = string.Join(" ", result.Errors.SelectMany(e => e.Value));
        Answer(address, SharedResource.Bilingual("EmailNotAccepted", why), subject, messageId, null, now);
        return $"refused: {why}";
    }

    /// <summary>The sender's display name, when it is plain text (it becomes the reporter's name).</summary>
    private static string? SenderName(MimeMessage message) =>
        IncomingMail.Sender(message)?.Name?.Trim() is { Length: > 0 } name && PlainText.FindMarkup(name) is null ? PlainText.Shorten(name, 99) : null;

    /// <summary>An answer to a message that filed nothing: threaded on that message.</summary>
    private void Answer(string address, string text, string subject, string messageId, Guid? reportId, DateTimeOffset now) =>
        db.Add(WebhookOutbox.Email(address, new EmailPayload(text, null, subject, messageId), now, reportId, "reply"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail from the 1022 mailbox: {Outcome}")]
    private static partial void LogHandled(ILogger logger, string outcome);
}
