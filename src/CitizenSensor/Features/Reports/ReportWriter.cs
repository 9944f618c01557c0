using System.Threading.Channels;
using CitizenSensor.Data;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// Group commit for the intake path: concurrent submissions are inserted together, in one transaction, by one
/// writer. Each caller's task completes only after the transaction holding its report has committed, so a 201 still
/// means "durably stored". Under load this turns hundreds of small fsync'd commits a second into a few large ones
/// (SQLite has a single writer; PostgreSQL benefits too). If a batch fails, its reports are retried one by one so
/// that one bad row (a duplicate idempotency key) fails only its own request.
/// </summary>
public sealed partial class ReportWriter(IServiceScopeFactory scopes, ReportProcessor processor, ReportProcessingOptions processing, ILogger<ReportWriter> logger) : BackgroundService
{
    private const int MaxBatch = 200;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Stores the report (with its events and attachments); returns once it is committed.</summary>
    public async Task WriteAsync(Report report, CancellationToken cancellationToken)
    {
        var pending = new Pending(report, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        await pending.Done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                await CommitAsync(batch, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (batch.Count == 1)
                {
                    batch[0].Done.TrySetException(ex);
                    continue;
                }

                LogBatchRetried(logger, batch.Count, ex);
                foreach (var one in batch)
                {
                    try
                    {
                        await CommitAsync([one], stoppingToken);
                    }
                    catch (Exception single)
                    {
                        one.Done.TrySetException(single);
                    }
                }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    /// <summary>
    /// Commits the batch and acknowledges it; then, on the same connection and still on the single writer, classifies
    /// and routes it (the processor's fast path). The reports are stored leased to this node, so no other node's
    /// poll takes them meanwhile; if this node stops before processing them, the lease runs out and any node does.
    /// </summary>
    private async Task CommitAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var reports = batch.Select(p => p.Report).ToList();
        if (processing.Enabled)
        {
            var owner = Guid.NewGuid();
            reports.ForEach(r => processor.Lease(r, owner));
        }

        db.Reports.AddRange(reports);
        await db.SaveChangesAsync(cancellationToken);
        batch.ForEach(p => p.Done.TrySetResult()); // durable: the 201s can go

        if (processing.Enabled)
        {
            await processor.ProcessAcceptedAsync(db, reports, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} reports failed to commit; retrying them one by one")]
    private static partial void LogBatchRetried(ILogger logger, int count, Exception exception);

    private sealed record Pending(Report Report, TaskCompletionSource Done);
}
