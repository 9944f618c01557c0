using CitizenSensor.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CitizenSensor.Data;

public sealed class SqliteCitizenDb(DbContextOptions<SqliteCitizenDb> options, UnitScope? scope = null) : CitizenDb(options, scope)
{
    /// <summary>How a DateTimeOffset is stored on SQLite (see below): for writers that bypass EF, so EF reads their rows back.</summary>
    public static readonly Func<DateTimeOffset, long> StoredTime = new DateTimeOffsetToBinaryConverter().ConvertToProviderExpression.Compile();

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

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or sort DateTimeOffset text; a 64-bit integer of UTC ticks does both.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

/// <summary>Used by <c>dotnet ef</c> only.</summary>
public sealed class SqliteCitizenDbFactory : IDesignTimeDbContextFactory<SqliteCitizenDb>
{
    public SqliteCitizenDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCitizenDb>().UseSqlite("Data Source=design.db").Options);
}
