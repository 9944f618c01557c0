using System.Threading.Channels;

namespace CitizenSensor.Infrastructure;

/// <summary>
/// Group commit, for ingest paths that must acknowledge only what is durable and still take thousands of items a
/// second: every request's items go into one bounded queue; a single writer takes everything queued (up to
/// <c>maxBatch</c> items) and stores it in one transaction (<see cref="CommitAsync"/>). A caller's task completes only
/// after that commit. While one batch commits, the next one gathers, so the batch size follows the load.
/// </summary>
public abstract partial class GroupCommitWriter<TItem, TResult>(ILogger logger, int maxBatch) : BackgroundService
{
    // Bounded: when the database cannot keep up, requests wait here instead of filling the memory.
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(20_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Stores the items; returns, once they are committed, one result per item.</summary>
    public async Task<TResult[]> WriteAsync(IReadOnlyList<TItem> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return [];
        }

        var pending = new Pending(items, new TaskCompletionSource<TResult[]>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        // Once queued, the write happens even if the caller goes away; the caller still waits for the commit.
        return await pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stores <paramref name="items"/> in one transaction and returns one result per item, in order.</summary>
    protected abstract Task<TResult[]> CommitAsync(List<TItem> items, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>();
        var items = new List<TItem>();
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            items.Clear();
            while (items.Count < maxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
                items.AddRange(next.Items);
            }

            try
            {
                var stored = await CommitAsync(items, stoppingToken);
                var offset = 0;
                foreach (var pending in batch)
                {
                    pending.Done.TrySetResult(stored[offset..(offset + pending.Items.Count)]);
                    offset += pending.Items.Count;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogBatchFailed(logger, items.Count, GetType().Name, ex);
                batch.ForEach(p => p.Done.TrySetException(ex));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} items failed to commit in {Writer}; none of them was acknowledged")]
    private static partial void LogBatchFailed(ILogger logger, int count, string writer, Exception exception);

    private sealed record Pending(IReadOnlyList<TItem> Items, TaskCompletionSource<TResult[]> Done);
}
