using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Declarations;

/// <summary>
/// Deletes declarations older than <see cref="DeclarationOptions.RetentionDays"/>, with the per-person days behind the
/// figures and the closed follow-up tasks of that age, in chunks so that ingest never waits long. The day figures
/// (<see cref="DeclarationDay"/>) stay: the history of counts outlives the personal data. Open tasks are kept until an
/// officer closes them (their declaration is gone by then; the task says so). Every node may run it.
/// </summary>
public sealed partial class DeclarationRetention(IServiceScopeFactory scopes, DeclarationOptions options, TimeProvider time, ILogger<DeclarationRetention> logger)
    : Infrastructure.PeriodicJob(time, logger)
{
    private const int Chunk = 5_000;

    protected override TimeSpan Interval => options.RetentionInterval;

    /// <summary>Deletes what has expired; returns how many declarations.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var cutoff = Time.GetUtcNow().AddDays(-options.RetentionDays);
        // Person-days of days that ended before the cutoff, under either definition.
        var lastDay = Infrastructure.CityTime.DayOf(cutoff).AddDays(-1);
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
            var ids = await db.Set<Declaration>().Where(d => d.At < cutoff).OrderBy(d => d.Id).Select(d => d.Id).Take(Chunk).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                await db.Set<DeclarationPersonDay>().Where(p => p.Day <= lastDay).ExecuteDeleteAsync(cancellationToken);
                await db.Set<FollowUpTask>().Where(t => t.Status == FollowUpStatus.Closed && t.CreatedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
                break;
            }

            total += await db.Set<Declaration>().Where(d => ids.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        if (total > 0)
        {
            LogDeleted(logger, total, options.RetentionDays);
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} health declarations older than {Days} days; their day figures stay")]
    private static partial void LogDeleted(ILogger logger, int count, int days);
}
