using CitizenSensor.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CitizenSensor.Data;

public sealed class SqliteCitizenDb(DbContextOptions<SqliteCitizenDb> options, UnitScope? scope = null) : CitizenDb(options, scope)
{
    /// <summary>How a DateTimeOffset is stored on SQLite (UTC ticks, see below): for writers that bypass EF, so EF reads their rows back.</summary>
    public static readonly Func<DateTimeOffset, long> StoredTime = Instants.ToUtcTicks;

    /// <summary>
    /// For the group-commit writers: keeps the writer's pages of the indexes it inserts into in memory (64 MB) instead
    /// of reading them back per batch. A no-op on other databases.
    /// </summary>
    public static async Task UseWriterCacheAsync(System.Data.Common.DbConnection connection, CancellationToken cancellationToken)
    {
        if (connection is Microsoft.Data.Sqlite.SqliteConnection)
        {
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA cache_size = -65536";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        Features.Reports.Inbox.ReportSearch.ConfigureSqlite(builder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or sort DateTimeOffset text; a 64-bit integer of UTC ticks does both, whatever the
        // offset a value was written or is queried with (the InstantsAsUtcTicks migration converted the older local-ticks encoding).
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }
}

/// <summary>Used by <c>dotnet ef</c> only.</summary>
public sealed class SqliteCitizenDbFactory : IDesignTimeDbContextFactory<SqliteCitizenDb>
{
    public SqliteCitizenDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCitizenDb>().UseSqlite("Data Source=design.db").Options);
}
