namespace CitizenSensor.Infrastructure;

/// <summary>
/// Background work that runs every <see cref="Interval"/> on each node (retention jobs, SLA monitors): a failed run is
/// logged and tried again at the next interval. Tests call <see cref="RunOnceAsync"/> directly.
/// </summary>
public abstract partial class PeriodicJob(TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected abstract TimeSpan Interval { get; }

    /// <summary>Does the work once; returns how many rows it handled.</summary>
    public abstract Task<int> RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, GetType().Name, ex);
            }

            await Task.Delay(Interval, Time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Job} failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, string job, Exception exception);
}
