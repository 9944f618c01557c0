using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Venues;

/// <summary>
/// Deletes check-ins older than <see cref="VenueOptions.RetentionDays"/>, in chunks so that the single SQLite writer
/// (or PostgreSQL's row locks) never stall the ingest for long. The per-venue daily counts stay: the figures outlive
/// the personal data. Every node may run it; the deletes are idempotent.
/// </summary>
public sealed partial class CheckInRetention(IServiceScopeFactory scopes, VenueOptions options, TimeProvider time, ILogger<CheckInRetention> logger)
    : Infrastructure.PeriodicJob(time, logger)
{
    private const int Chunk = 5_000;

    protected override TimeSpan Interval => options.RetentionInterval;

    /// <summary>Deletes what has expired; returns how many check-ins.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var cutoff = Time.GetUtcNow().AddDays(-options.RetentionDays);
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
            var ids = await db.Set<CheckIn>().Where(c => c.At < cutoff).OrderBy(c => c.Id).Select(c => c.Id).Take(Chunk).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }

            total += await db.Set<CheckIn>().Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(cancellationToken);
        }

        if (total > 0)
        {
            LogDeleted(logger, total, options.RetentionDays);
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} check-ins older than {Days} days")]
    private static partial void LogDeleted(ILogger logger, int count, int days);
}
