using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Staff;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Infrastructure;

/// <summary>What runs once before the portal serves: migrations (when configured), roles, shipped units, demo accounts.</summary>
public static partial class Startup
{
    public static async Task PrepareAsync(this WebApplication app, bool? migrate = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<CitizenDb>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("CitizenSensor.Startup");

        if (migrate ?? services.GetRequiredService<DatabaseOptions>().ShouldMigrateOnStart)
        {
            await DatabaseMigrator.MigrateAsync(db, services.GetRequiredService<PersonalData>, app.Lifetime.ApplicationStopping);
        }

        await Features.Reports.Inbox.ReportSearch.BackfillAsync(db, app.Lifetime.ApplicationStopping);

        await services.GetRequiredService<StaffAccounts>().EnsureRolesAsync();
        if (!await db.Categories.AnyAsync())
        {
            db.Categories.AddRange(Category.Defaults());
            await db.SaveChangesAsync();
        }

        await services.GetRequiredService<UnitImporter>().SeedShippedUnitsAsync(app.Lifetime.ApplicationStopping);
        // Index both unit sets now, so that the first report after a start is not held up building them.
        await services.GetRequiredService<JurisdictionCatalog>().GetAsync();

        if (services.GetRequiredService<DemoOptions>().Enabled)
        {
            await services.GetRequiredService<DemoAccounts>().SeedAsync();
        }
        else if (!await db.UserRoles.AnyAsync(ur => db.Roles.Any(r => r.Id == ur.RoleId && r.Name == StaffRoles.Admin)))
        {
            LogNoAdmin(logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No administrator yet. Create one with: dotnet run --project src/CitizenSensor -- create-admin --email you@example.org --password '<at least 10 characters>'")]
    private static partial void LogNoAdmin(ILogger logger);
}
