using CitizenSensor.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports.Webhooks;

public sealed record WebhookDeliveryView(
    Guid MessageId, string State, string Status, DateTimeOffset CreatedAt, int Attempts, int? LastStatusCode, string? LastError,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, DateTimeOffset? GaveUpAt);

/// <summary>Lets staff see whether an app back-end got a report's changes (and why not).</summary>
public static class WebhookDeliveriesApi
{
    public static RouteGroupBuilder MapWebhookDeliveries(this RouteGroupBuilder staffReports)
    {
        staffReports.MapGet("/{code}/webhook-deliveries", List).WithSummary("The webhook messages of a report: pending, delivered or given up, with the last error");
        return staffReports;
    }

    internal static async Task<Results<Ok<List<WebhookDeliveryView>>, ProblemHttpResult>> List(string code, CitizenDb db, CancellationToken cancellationToken)
    {
        var normalized = Report.NormalizeCode(code);
        var reportId = await db.Reports.Where(r => r.Code == normalized).Select(r => (Guid?)r.Id).SingleOrDefaultAsync(cancellationToken);
        if (reportId is null)
        {
            return StaffReportsApi.NotFound(code);
        }

        var deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => d.ReportId == reportId).OrderBy(d => d.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(deliveries.Select(d => new WebhookDeliveryView(
            d.MessageId,
            d.DeliveredAt is not null ? "delivered" : d.GaveUpAt is not null ? "gave-up" : "pending",
            d.Status,
            d.CreatedAt, d.Attempts, d.LastStatusCode, d.LastError,
            d.DeliveredAt is null && d.GaveUpAt is null ? d.NextAttemptAt : null, d.DeliveredAt, d.GaveUpAt)).ToList());
    }
}
