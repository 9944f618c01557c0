using CitizenSensor.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CitizenSensor.Data;

public sealed class PostgresCitizenDb(DbContextOptions<PostgresCitizenDb> options, UnitScope? scope = null) : CitizenDb(options, scope)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        Features.Reports.Inbox.ReportSearch.ConfigurePostgres(builder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // timestamptz holds UTC and Npgsql refuses a DateTimeOffset with any other offset, in writes and in query
        // parameters alike: every instant is turned to UTC on its way in.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<ToUtcConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<ToUtcConverter>();
    }
}

/// <summary>Used by <c>dotnet ef</c> only.</summary>
public sealed class PostgresCitizenDbFactory : IDesignTimeDbContextFactory<PostgresCitizenDb>
{
    public PostgresCitizenDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCitizenDb>().UseNpgsql("Host=localhost;Database=citizensensor_design").Options);
}
