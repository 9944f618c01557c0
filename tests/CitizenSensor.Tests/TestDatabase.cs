using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CitizenSensor.Tests;

/// <summary>
/// A fresh, empty database for one test application, on the provider the run asks for:
/// <c>CITIZENSENSOR_TEST_PROVIDER=Sqlite</c> (default) or <c>Postgres</c> with <c>CITIZENSENSOR_TEST_POSTGRES</c>
/// holding a connection string to a server where the user may create databases (test.sh starts one).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _postgresAdmin;
    private readonly string _name;

    private TestDatabase(DatabaseProvider provider, string connectionString, string name, string? postgresAdmin)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _name = name;
        _postgresAdmin = postgresAdmin;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public static DatabaseProvider RequestedProvider =>
        Enum.TryParse<DatabaseProvider>(Environment.GetEnvironmentVariable("CITIZENSENSOR_TEST_PROVIDER"), ignoreCase: true, out var provider)
            ? provider
            : DatabaseProvider.Sqlite;

    public static Task<TestDatabase> CreateAsync() => CreateAsync(RequestedProvider);

    /// <summary>A fresh database on the given provider, whatever the run asks for (for tests of one provider's own history).</summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        var name = "cs_test_" + Guid.NewGuid().ToString("N")[..16];
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), name + ".db");
            return new TestDatabase(DatabaseProvider.Sqlite, $"Data Source={file}", file, null);
        }

        var admin = Environment.GetEnvironmentVariable("CITIZENSENSOR_TEST_POSTGRES")
            ?? throw new InvalidOperationException("CITIZENSENSOR_TEST_PROVIDER=Postgres needs CITIZENSENSOR_TEST_POSTGRES (run ./test.sh, which starts a server).");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ConnectionString;
        return new TestDatabase(DatabaseProvider.Postgres, connectionString, name, admin);
    }

    /// <summary>A context on this database outside any app (for tests that prepare a database's history themselves).</summary>
    public CitizenDb OpenContext() => Provider == DatabaseProvider.Sqlite
        ? new SqliteCitizenDb(new DbContextOptionsBuilder<SqliteCitizenDb>().UseSqlite(ConnectionString).Options)
        : new PostgresCitizenDb(new DbContextOptionsBuilder<PostgresCitizenDb>().UseNpgsql(ConnectionString).Options);

    public async ValueTask DisposeAsync()
    {
        if (_postgresAdmin is null)
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(_name + suffix);
            }

            return;
        }

        await using var connection = new NpgsqlConnection(_postgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
