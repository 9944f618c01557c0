using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Declarations;

/// <summary>
/// The follow-up SLA: open tasks past their due time are escalated to the district (flagged; the district's health
/// officers see their wards' tasks and list the escalated ones first), with an audit entry each. Every node may run
/// it: a task is escalated once.
/// </summary>
public sealed partial class FollowUpMonitor(IServiceScopeFactory scopes, DeclarationOptions options, TimeProvider time, ILogger<FollowUpMonitor> logger)
    : Infrastructure.PeriodicJob(time, logger)
{
    private const int Chunk = 500;

    protected override TimeSpan Interval => options.FollowUpCheckInterval;

    /// <summary>Escalates what is overdue now; returns how many tasks.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
            var audit = scope.ServiceProvider.GetRequiredService<Auditor>();
            var now = Time.GetUtcNow();
            var overdue = await db.Set<FollowUpTask>()
                .Where(t => t.Status == FollowUpStatus.Open && t.EscalatedAt == null && t.DueAt < now)
                .OrderBy(t => t.DueAt).Take(Chunk).ToListAsync(cancellationToken);
            foreach (var task in overdue)
            {
                task.EscalatedAt = now;
                task.Revision++;
                audit.Record(Staff.StaffActor.System, "escalate-followup", "followup", task.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    null, new { task.WardCode, task.DistrictCode, task.DueAt, to = "district" });
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // An officer recorded an outcome (or another node escalated) meanwhile: look again.
                continue;
            }

            total += overdue.Count;
            if (overdue.Count < Chunk)
            {
                break;
            }
        }

        if (total > 0)
        {
            LogEscalated(logger, total);
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalated {Count} overdue follow-ups to their districts")]
    private static partial void LogEscalated(ILogger logger, int count);
}
