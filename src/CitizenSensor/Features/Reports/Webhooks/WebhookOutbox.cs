using System.Text.Json;
using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports.Webhooks;

/// <summary>The message an app back-end receives when its report changes (the body of a webhook).</summary>
public sealed record WebhookMessage(string Type, DateTimeOffset Timestamp, WebhookReportChange Data);

public sealed record WebhookReportChange(string Code, string Status, DateTimeOffset OccurredAt, string? PublicNote, string? Result, string Report);

/// <summary>
/// Turns each public status change of a report that has a webhook into an outbox row, just before the change is saved,
/// whichever code made the change (the processor, an officer, the triage desk). Called by <see cref="CitizenDb"/>.
/// </summary>
public static class WebhookOutbox
{
    public const string StatusChanged = "report.status-changed";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Collect(CitizenDb db)
    {
        db.ChangeTracker.DetectChanges();
        var events = db.ChangeTracker.Entries<ReportEvent>()
            .Where(e => e.State == EntityState.Added && e.Entity.Status != ReportStatus.Received)
            .Select(e => e.Entity)
            .ToList();
        if (events.Count == 0)
        {
            return;
        }

        var already = db.ChangeTracker.Entries<WebhookDelivery>().Select(d => d.Entity.Source).OfType<ReportEvent>().ToHashSet();
        var reports = db.ChangeTracker.Entries<Report>().Where(r => r.Entity.WebhookUrl is not null).ToDictionary(r => r.Entity.Id, r => r.Entity);
        foreach (var change in events)
        {
            if (already.Contains(change) || !reports.TryGetValue(change.ReportId, out var report))
            {
                continue;
            }

            var message = new WebhookMessage(StatusChanged, change.At, new WebhookReportChange(
                report.Code, ReportViews.StatusCode(change.Status), change.At, change.PublicNote,
                change.Status == ReportStatus.Resolved ? report.PublicResult : null, $"/api/v1/reports/{report.Code}"));
            db.Add(new WebhookDelivery
            {
                MessageId = Guid.CreateVersion7(change.At),
                ReportId = report.Id,
                Url = report.WebhookUrl!,
                Status = message.Data.Status,
                Payload = JsonSerializer.Serialize(message, Json),
                CreatedAt = change.At,
                NextAttemptAt = change.At,
                Source = change,
            });
        }
    }
}
