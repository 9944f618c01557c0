using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Tracing;

/// <summary>
/// Two hourly chores on tracing data, on any node:
/// <list type="bullet">
/// <item>Settles "F1 reached within 24 hours": once an F1's 24 hours have passed, its follow-up task tells whether the
/// person was reached in time; the answer is kept on the exposure and added to the day figures, so it outlives the
/// task.</item>
/// <item>Deletes what <see cref="TracingOptions.RetentionDays"/> no longer keeps: exposures found longer ago (their
/// notices go with them), places of exposure, and cases opened longer ago that are closed or have not changed since.
/// The day figures (<see cref="TracingDay"/>) stay.</item>
/// </list>
/// </summary>
public sealed partial class TracingRetention(IServiceScopeFactory scopes, TracingOptions options, TimeProvider time, ILogger<TracingRetention> logger)
    : Infrastructure.PeriodicJob(time, logger)
{
    private const int Chunk = 2_000;

    /// <summary>How long a health officer has to reach an F1 for the figure.</summary>
    public static readonly TimeSpan ReachWithin = TimeSpan.FromHours(24);

    protected override TimeSpan Interval => options.RetentionInterval;

    /// <summary>Settles and deletes; returns how many rows it settled or deleted.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settled = await SettleAsync(cancellationToken);
        var cutoff = Time.GetUtcNow().AddDays(-options.RetentionDays);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var cases = await db.Set<TracingCase>().IgnoreQueryFilters()
            .Where(c => c.CreatedAt < cutoff && (c.Status != CaseStatus.Active || (c.UpdatedAt ?? c.CreatedAt) < cutoff)).Select(c => c.Id).ToListAsync(cancellationToken);
        var deleted = 0;
        foreach (var chunk in cases.Chunk(Chunk))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            deleted += await db.Set<Exposure>().IgnoreQueryFilters().Where(e => chunk.Contains(e.CaseId)).ExecuteDeleteAsync(cancellationToken);
            deleted += await db.Set<ExposureSite>().IgnoreQueryFilters().Where(s => chunk.Contains(s.CaseId)).ExecuteDeleteAsync(cancellationToken);
            deleted += await db.Set<TracingCase>().IgnoreQueryFilters().Where(c => chunk.Contains(c.Id)).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        deleted += await db.Set<Exposure>().IgnoreQueryFilters().Where(e => e.FoundAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        deleted += await db.Set<ExposureSite>().IgnoreQueryFilters().Where(s => s.FoundAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            LogDeleted(logger, deleted, options.RetentionDays);
        }

        return settled + deleted;
    }

    /// <summary>The F1s whose 24 hours have passed and are not settled yet, in chunks: each chunk's flags and figures in one transaction.</summary>
    private async Task<int> SettleAsync(CancellationToken cancellationToken)
    {
        var due = Time.GetUtcNow() - ReachWithin;
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
            var rows = await db.Set<Exposure>().IgnoreQueryFilters().Where(e => e.Generation == 1 && e.ReachedInTime == null && e.FoundAt < due)
                .OrderBy(e => e.Id).Take(Chunk)
                .Select(e => new { Exposure = e, Closed = e.FollowUp == null ? null : e.FollowUp.ClosedAt, e.FollowUp!.Outcome })
                .ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                return total;
            }

            var venueIds = rows.Select(r => r.Exposure.VenueId).Distinct().ToList();
            var districts = await db.Venues.IgnoreQueryFilters().Where(v => venueIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.DistrictCode, cancellationToken);
            var tally = new TracingTally();
            foreach (var row in rows)
            {
                var e = row.Exposure;
                e.ReachedInTime = Reached(e.FoundAt, row.Closed, row.Outcome);
                if (e.ReachedInTime == true)
                {
                    tally.Reached(e.FoundAt, e.WardCode, districts.GetValueOrDefault(e.VenueId, ""), e.UnitPath);
                }
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await tally.WriteAsync(db, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            total += rows.Count;
        }
    }

    /// <summary>Reached in time: the task was closed, with the person reached (any outcome but not-reached), within 24 hours of the finding.</summary>
    internal static bool Reached(DateTimeOffset foundAt, DateTimeOffset? closedAt, Declarations.FollowUpOutcome? outcome) =>
        closedAt is { } closed && outcome is not (null or Declarations.FollowUpOutcome.NotReached) && closed >= foundAt && closed <= foundAt + ReachWithin;

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} cases, exposures and places of exposure older than {Days} days; their day figures stay")]
    private static partial void LogDeleted(ILogger logger, int count, int days);
}
