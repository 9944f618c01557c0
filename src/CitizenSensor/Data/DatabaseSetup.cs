using CitizenSensor.Features.Staff;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CitizenSensor.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply migrations at start-up. Default: on for the embedded SQLite database, off for PostgreSQL.</summary>
    public bool? MigrateOnStart { get; set; }

    public bool ShouldMigrateOnStart => MigrateOnStart ?? Provider == DatabaseProvider.Sqlite;
}

public static class DatabaseSetup
{
    public const string DefaultSqliteConnection = "Data Source=data/citizensensor.db";

    public static DatabaseOptions AddDatabase(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddSingleton(options);
        var connectionString = builder.Configuration.GetConnectionString("CitizenSensor");

        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = new SqliteConnectionStringBuilder(connectionString ?? DefaultSqliteConnection);
                if (Path.GetDirectoryName(Path.GetFullPath(sqlite.DataSource)) is { } folder)
                {
                    Directory.CreateDirectory(folder);
                }

                builder.Services.AddDbContext<CitizenDb, SqliteCitizenDb>(db => Common(db).UseSqlite(sqlite.ConnectionString)
                    .AddInterceptors(new SqliteWalInterceptor()));
                break;
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:CitizenSensor is not set.");
                }

                builder.Services.AddDbContext<CitizenDb, PostgresCitizenDb>(db => Common(db).UseNpgsql(connectionString));
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{options.Provider}'. Use Sqlite or Postgres.");
        }

        builder.Services.AddScoped<UnitScope>();
        // Made on first use: operator commands (migrate, create-admin…) need no data key.
        builder.Services.AddSingleton(_ => PersonalData.FromConfiguration(builder.Configuration, options));
        return options;
    }

    /// <summary>Settings both providers share.</summary>
    private static DbContextOptionsBuilder Common(DbContextOptionsBuilder db) =>
        // ApiToken → StaffUser is required while staff rows are scope-filtered. Tokens are read only with
        // IgnoreQueryFilters (authentication) or by their owner, so a filtered-out owner never hides a token.
        db.ConfigureWarnings(w => w.Ignore(CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning));

    /// <summary>
    /// Turns on write-ahead logging and a busy timeout for every SQLite connection: readers do not block the writer,
    /// and concurrent writers wait instead of failing with "database is locked".
    /// </summary>
    private sealed class SqliteWalInterceptor : DbConnectionInterceptor
    {
        public override void ConnectionOpened(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData) =>
            Pragmas(connection);

        public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Pragmas(connection);
            return Task.CompletedTask;
        }

        private static void Pragmas(System.Data.Common.DbConnection connection)
        {
            using var command = connection.CreateCommand();
            // Checkpoint every 64 MB of log instead of every 4 MB: under check-in load each commit would otherwise copy
            // its pages into the database file (and fsync it) right away. Commits stay fully synchronous: the log is
            // synced at every commit, so an acknowledged check-in survives a crash of the machine, not only of the process.
            command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=16384;";
            command.ExecuteNonQuery();
        }
    }
}
