using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// The SLA, applied: every half minute it escalates reports whose deadline passed — not forwarded within the
/// category's forward window (5 minutes by default), or not resolved by their due time (60 minutes after routing).
/// An escalated report goes to someone other than the desk that let it run late (<see cref="ReportEscalation"/>): a
/// report the triage desk did not forward goes to the city's administrators, a routed one without a result to the
/// triage desk. The escalation goes into the report's internal notes and the audit trail.
/// </summary>
public sealed partial class SlaMonitor(IServiceScopeFactory scopes, TimeProvider time, ILogger<SlaMonitor> logger)
    : Infrastructure.PeriodicJob(time, logger)
{
    protected override TimeSpan Interval { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Escalates what is overdue now; returns how many reports it escalated.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var audit = scope.ServiceProvider.GetRequiredService<Auditor>();
        var now = Time.GetUtcNow();
        var forwardWindows = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, c => c.ForwardWithinMinutes, cancellationToken);
        var defaultForward = forwardWindows.Values.DefaultIfEmpty(5).Min();

        // Not yet forwarded: the earliest possible deadline narrows the query, the category's own window decides.
        var earliest = now.AddMinutes(-defaultForward);
        var waiting = await db.Reports.IgnoreQueryFilters().Include(r => r.Notes)
            .Where(r => r.EscalatedAt == null && (r.Status == ReportStatus.Received || r.Status == ReportStatus.NeedsTriage) && r.SubmittedAt <= earliest)
            .OrderBy(r => r.SubmittedAt) // the longest-waiting first when there are more than 500
            .Take(500)
            .ToListAsync(cancellationToken);
        var late = await db.Reports.IgnoreQueryFilters().Include(r => r.Notes)
            .Where(r => r.EscalatedAt == null && (r.Status == ReportStatus.Routed || r.Status == ReportStatus.InProgress) && r.DueAt < now)
            .OrderBy(r => r.DueAt)
            .Take(500)
            .ToListAsync(cancellationToken);

        var escalated = 0;
        foreach (var report in waiting)
        {
            var window = report.CategoryCode is not null && forwardWindows.TryGetValue(report.CategoryCode, out var minutes) ? minutes : defaultForward;
            if (report.SubmittedAt.AddMinutes(window) <= now)
            {
                Escalate(report, $"Not forwarded within {window} minutes of submission.", now, audit);
                escalated++;
            }
        }

        foreach (var report in late)
        {
            Escalate(report, $"No result by the due time {report.DueAt:u}.", now, audit);
            escalated++;
        }

        if (escalated > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            LogEscalated(logger, escalated);
        }

        return escalated;
    }

    private static void Escalate(Report report, string why, DateTimeOffset now, Auditor audit)
    {
        var to = ReportEscalation.For(report.Status);
        report.EscalatedAt = now;
        report.EscalatedTo = to;
        report.Version++;
        var whom = to == ReportEscalation.Administrators ? "the city's administrators" : "the city's triage desk";
        report.Notes.Add(new ReportNote { ReportId = report.Id, At = now, Author = "SLA", Text = $"Escalated to {whom}: {why}" });
        audit.Record(Staff.StaffActor.System, "escalate", "report", report.Code, null, new { why, to });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalated {Count} overdue reports")]
    private static partial void LogEscalated(ILogger logger, int count);
}
