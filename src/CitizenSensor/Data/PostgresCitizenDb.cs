using CitizenSensor.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CitizenSensor.Data;

public sealed class PostgresCitizenDb(DbContextOptions<PostgresCitizenDb> options, UnitScope? scope = null) : CitizenDb(options, scope);

/// <summary>Used by <c>dotnet ef</c> only.</summary>
public sealed class PostgresCitizenDbFactory : IDesignTimeDbContextFactory<PostgresCitizenDb>
{
    public PostgresCitizenDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCitizenDb>().UseNpgsql("Host=localhost;Database=citizensensor_design").Options);
}
