using CitizenSensor.Data;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports.Following;

/// <summary>
/// Deletes followers' sealed addresses once they serve nothing: a subscription never confirmed within
/// <see cref="ReportFollowing.Retention"/>, and every subscription to a report finished (resolved or rejected) with
/// nothing new for that long. Hourly, on each node (the deletes are idempotent).
/// </summary>
public sealed class FollowerSweep(IServiceScopeFactory scopes, TimeProvider time, ILogger<FollowerSweep> logger) : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var cutoff = Time.GetUtcNow() - ReportFollowing.Retention;
        var unconfirmed = await db.Set<ReportFollower>().Where(f => f.ConfirmedAt == null && f.CreatedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        var finished = await db.Set<ReportFollower>()
            .Where(f => db.Reports.IgnoreQueryFilters().Any(r => r.Id == f.ReportId && (r.Status == ReportStatus.Resolved || r.Status == ReportStatus.Rejected)))
            .Where(f => !db.Set<ReportEvent>().Any(e => e.ReportId == f.ReportId && e.At >= cutoff))
            .ExecuteDeleteAsync(cancellationToken);
        return unconfirmed + finished;
    }
}
