using CitizenSensor.Data;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

/// <summary><c>Reports:ReporterRetention</c>: how long a reporter's contact is kept after the report is finished.</summary>
public sealed class ReporterRetentionOptions
{
    /// <summary>
    /// 90 days after the last change to a resolved or rejected report: long enough for the resident to question the
    /// result and for the unit to call them back, no longer. 0 keeps the contact until the report is deleted.
    /// </summary>
    public int Days { get; set; } = 90;
}

/// <summary>
/// Erases the reporter's sealed contact and channel address (<see cref="ReporterData.EraseAsync"/>) from reports finished
/// (resolved or rejected) with no change for <see cref="ReporterRetentionOptions.Days"/>. The reports, their texts,
/// places, events and so every figure stay. Hourly on each node; the update is idempotent.
/// </summary>
public sealed partial class ReporterRetention(IServiceScopeFactory scopes, ReporterRetentionOptions options, TimeProvider time, ILogger<ReporterRetention> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (options.Days <= 0)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var now = Time.GetUtcNow();
        var cutoff = now.AddDays(-options.Days);
        var finished = db.Reports.IgnoreQueryFilters()
            .Where(r => r.Status == ReportStatus.Resolved || r.Status == ReportStatus.Rejected)
            .Where(r => !db.ReportEvents.Any(e => e.ReportId == r.Id && e.At >= cutoff));
        var erased = await ReporterData.EraseAsync(finished, now, cancellationToken);
        if (erased > 0)
        {
            LogErased(logger, erased, options.Days);
        }

        return erased;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Erased the reporter's contact from {Count} reports finished more than {Days} days ago")]
    private static partial void LogErased(ILogger logger, int count, int days);
}
