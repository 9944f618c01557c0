using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Data;

/// <summary>
/// The one database connection of a single background writer (a group commit, see
/// <see cref="Infrastructure.GroupCommitWriter{TItem,TResult}"/>), kept open between its batches. Opening a context and
/// a pooled connection per batch cost more CPU than a small batch's inserts, and on SQLite a connection taken from the
/// pool had usually lost its page cache (another connection had written since), so each batch read its index pages
/// again. Not for concurrent use: a writer has one batch in flight at a time.
/// </summary>
public sealed class WriterConnection(IServiceScopeFactory scopes) : IAsyncDisposable
{
    private AsyncServiceScope? _scope;
    private DbConnection? _connection;
    private IDisposable? _kept;

    /// <summary>
    /// Runs one batch's work on the open connection; when it fails, the connection is discarded (a half-done
    /// transaction's state is not to be trusted) and the failure goes on to the writer.
    /// </summary>
    public async Task<T> UseAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await work(await OpenAsync(cancellationToken));
        }
        catch
        {
            await DiscardAsync();
            throw;
        }
    }

    /// <summary>The open connection: the kept one, or a new one after a failed batch or a broken link.</summary>
    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: ConnectionState.Open } open)
        {
            return open;
        }

        await DiscardAsync();
        var scope = scopes.CreateAsyncScope();
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
            await db.Database.OpenConnectionAsync(cancellationToken);
            var connection = db.Database.GetDbConnection();
            await SqliteCitizenDb.UseWriterCacheAsync(connection, cancellationToken);
            (_scope, _connection) = (scope, connection);
            return connection;
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closes the connection (after a failed batch, whose state nobody should trust); the next batch opens another.</summary>
    private async ValueTask DiscardAsync()
    {
        _kept?.Dispose();
        _kept = null;
        _connection = null;
        if (_scope is { } scope)
        {
            _scope = null;
            await scope.DisposeAsync();
        }
    }

    /// <summary>
    /// What the writer made for the open connection (its prepared statements): made on the first call after each
    /// open, disposed before the connection is let go.
    /// </summary>
    public T Kept<T>(Func<T> make) where T : class, IDisposable => (T)(_kept ??= make());

    public ValueTask DisposeAsync() => DiscardAsync();
}
