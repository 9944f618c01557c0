using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Reports.Classification;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

public sealed class ReportProcessingOptions
{
    /// <summary>Run the processor in this app node (on by default; off only for tests that simulate a crash).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often to look for reports the intake's fast path left unprocessed (crashes, other nodes).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a node holds a report it is processing before another may take it over.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Below this confidence a report goes to the triage desk instead of straight to a district.</summary>
    public double MinConfidence { get; set; } = 0.55;
}

/// <summary>
/// Classifies and routes reports. New ones come from the intake writer right after they are committed
/// (<see cref="ProcessAcceptedAsync"/>); this service also polls for whatever that fast path did not finish (a crash,
/// a restart, another node that stopped), starting with what is left when it starts. Each report is leased before it
/// is processed, so several app nodes can run this side by side.
/// </summary>
public sealed partial class ReportProcessor(
    IServiceScopeFactory scopes,
    ReportSignal signal,
    JurisdictionCatalog catalog,
    CategoryCache categoryCache,
    ReportClassifier classifier,
    ReportProcessingOptions options,
    TimeProvider time,
    ILogger<ReportProcessor> logger) : BackgroundService
{
    private const int BatchSize = 50;
    private const int MaxAttempts = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int processed;
            try
            {
                processed = await ProcessPendingAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogBatchFailed(logger, ex);
                processed = 0;
            }

            if (processed == 0)
            {
                await Task.Delay(options.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Processes one batch of pending reports; returns how many it processed.</summary>
    public async Task<int> ProcessPendingAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var now = time.GetUtcNow();
        var pending = await db.Reports.IgnoreQueryFilters()
            .Where(r => r.Status == ReportStatus.Received && (r.ProcessingLeaseUntil == null || r.ProcessingLeaseUntil < now))
            .OrderBy(r => r.SubmittedAt)
            .Select(r => r.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        if (pending.Count == 0)
        {
            return 0;
        }

        // Claim the batch in one statement: whatever another node claimed first is simply not ours.
        var owner = Guid.NewGuid();
        var leaseUntil = now + options.Lease;
        await db.Reports.IgnoreQueryFilters()
            .Where(r => pending.Contains(r.Id) && r.Status == ReportStatus.Received && (r.ProcessingLeaseUntil == null || r.ProcessingLeaseUntil < now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.ProcessingLeaseUntil, leaseUntil)
                .SetProperty(r => r.ProcessingLeaseOwner, owner)
                .SetProperty(r => r.ProcessingAttempts, r => r.ProcessingAttempts + 1), cancellationToken);
        var reports = await db.Reports.IgnoreQueryFilters()
            .Where(r => r.ProcessingLeaseOwner == owner && r.Status == ReportStatus.Received)
            .ToListAsync(cancellationToken);

        return await ProcessAndSaveAsync(db, reports, cancellationToken);
    }

    /// <summary>
    /// The fast path: reports the writer has just committed, leased to this node and still tracked by its context,
    /// are classified and routed at once. Whatever fails here keeps its lease and is picked up by the polling path.
    /// </summary>
    public async Task ProcessAcceptedAsync(CitizenDb db, List<Report> reports, CancellationToken cancellationToken)
    {
        try
        {
            await ProcessAndSaveAsync(db, reports, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogBatchFailed(logger, ex);
        }
    }

    /// <summary>Stamps a new report as leased to this node, so that no other node's poll takes it meanwhile.</summary>
    public void Lease(Report report, Guid owner)
    {
        report.ProcessingLeaseOwner = owner;
        report.ProcessingLeaseUntil = time.GetUtcNow() + options.Lease;
        report.ProcessingAttempts = 1;
    }

    private async Task<int> ProcessAndSaveAsync(CitizenDb db, List<Report> reports, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.GetAsync();
        var categories = await categoryCache.GetAsync(cancellationToken);
        var processed = new List<string>(reports.Count);
        foreach (var report in reports)
        {
            try
            {
                Process(report, snapshot, categories);
                processed.Add(report.Code);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReportFailed(logger, report.Id, ex);
                db.Entry(report).State = EntityState.Detached; // its lease runs out and it is tried again
            }
        }

        // One transaction for the whole batch.
        await db.SaveChangesAsync(cancellationToken);
        processed.ForEach(signal.NotifyChanged);
        return processed.Count;
    }

    private void Process(Report report, JurisdictionCatalog.Snapshot snapshot, IReadOnlyDictionary<string, Category> categories)
    {
        var now = time.GetUtcNow();

        var classification = classifier.Classify(report.Description, report.CategoryHint);
        report.CategoryCode = classification.Category;
        report.Confidence = classification.Confidence;
        report.ClassificationReason = classification.Explanation.Length > 500 ? classification.Explanation[..500] : classification.Explanation;
        report.ClassifiedAt = now;

        // In the units of the day it was sent: a report of 2021 goes to its 2021 district, one of today to a commune.
        var route = ReportRouter.Decide(snapshot, Infrastructure.CityTime.DayOf(report.SubmittedAt), report.Latitude, report.Longitude, report.Address);
        var provincePath = route.Province is null ? null : HandlingUnit.PathOf(null, route.Province.Code);
        report.UnitCode = route.District?.Code;
        report.WardCode = route.Ward?.Code;

        string? triageReason = route.TriageReason ?? (report.Description.Length == 0 ? TriageReasons.NoDescription() : null);
        if (report.CategoryHint is { } hint && !CategoryAdmin.ClassifierCategories.Contains(hint))
        {
            // A category an admin added: the classifier has no rules for it, so the reporter's choice stands and a
            // dispatcher confirms it.
            report.CategoryCode = hint;
            report.ClassificationReason = Classification.ClassificationWords.ReporterChose;
            triageReason ??= TriageReasons.UnknownCategory(hint);
        }
        else if (triageReason is null && classification.Confidence < options.MinConfidence)
        {
            var best = classification.Scores.OrderByDescending(s => s.Value).Select(s => s.Key).Take(2).ToList();
            triageReason = TriageReasons.LowConfidence(classification.Confidence, best.ElementAtOrDefault(0), best.ElementAtOrDefault(1));
        }
        else if (triageReason is null && report.ProcessingAttempts > MaxAttempts)
        {
            triageReason = TriageReasons.Failed();
        }

        if (triageReason is null)
        {
            report.Status = ReportStatus.Routed;
            report.UnitPath = HandlingUnit.PathOf(provincePath, route.District!.Code);
            report.RoutedAt = now;
            report.DueAt = now.AddMinutes(categories.TryGetValue(report.CategoryCode, out var category) ? category.ResolveWithinMinutes : 60);
            report.TriageReason = null;
            report.Events.Add(new ReportEvent { ReportId = report.Id, At = now, Status = ReportStatus.Routed, PublicNote = route.District.Name });
        }
        else
        {
            // The city's triage desk sees it (the province path); the district found, if any, stays as a suggestion.
            report.Status = ReportStatus.NeedsTriage;
            report.UnitPath = provincePath;
            report.TriageReason = triageReason.Length > ReportRules.MaxTriageReason ? triageReason[..ReportRules.MaxTriageReason] : triageReason;
            report.Events.Add(new ReportEvent { ReportId = report.Id, At = now, Status = ReportStatus.NeedsTriage });
        }

        report.ProcessingLeaseUntil = null;
        report.ProcessingLeaseOwner = null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing pending reports failed")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing report {ReportId} failed; it will be retried")]
    private static partial void LogReportFailed(ILogger logger, Guid reportId, Exception exception);
}
