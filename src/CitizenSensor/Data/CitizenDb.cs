using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Reports.Webhooks;
using CitizenSensor.Features.Staff;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Data;

/// <summary>
/// The application's one DbContext. Each provider has a thin subclass (<see cref="SqliteCitizenDb"/>,
/// <see cref="PostgresCitizenDb"/>) so that each keeps its own migrations.
/// </summary>
/// <remarks>
/// Staff scoping lives here and only here: every entity that belongs to a unit (<see cref="IUnitScoped"/>)
/// gets a query filter that keeps rows inside the current <see cref="UnitScope"/>. The scope is unrestricted
/// until a staff endpoint restricts it (see <see cref="UnitScope"/>).
/// </remarks>
public abstract class CitizenDb(DbContextOptions options, UnitScope? scope) : IdentityDbContext<StaffUser>(options), IDataProtectionKeyContext
{
    public const string ScopeFilter = "UnitScope";

    private readonly UnitScope _scope = scope ?? UnitScope.Unrestricted();

    public DbSet<HandlingUnit> Units => Set<HandlingUnit>();

    public DbSet<UnitSet> UnitSets => Set<UnitSet>();

    public DbSet<UnitSuccession> UnitSuccessions => Set<UnitSuccession>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<Report> Reports => Set<Report>();

    public DbSet<ReportEvent> ReportEvents => Set<ReportEvent>();

    public DbSet<Category> Categories => Set<Category>();

    public DbSet<ReportNote> ReportNotes => Set<ReportNote>();

    public DbSet<Features.Reports.Attachments.ReportAttachment> ReportAttachments => Set<Features.Reports.Attachments.ReportAttachment>();

    public DbSet<CategoryCorrection> CategoryCorrections => Set<CategoryCorrection>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<Features.Channels.Open311.Open311Client> Open311Clients => Set<Features.Channels.Open311.Open311Client>();

    public DbSet<Features.Venues.Venue> Venues => Set<Features.Venues.Venue>();

    /// <summary>Keys for cookies and antiforgery tokens, shared by every app node on the same database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    // Read by the query filters at query time, so a scope set after the context was created still applies.
    private bool ScopeRestricted => _scope.IsRestricted;

    private string ScopePath => _scope.Path;

    private bool ScopeSeesUnplaced => _scope.SeesUnplaced;

    /// <summary>Saves, with the webhook messages for the status changes being saved (the outbox, same transaction).</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        WebhookOutbox.Collect(this);
        Features.Reports.Inbox.ReportSearch.Stamp(ChangeTracker);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <inheritdoc cref="SaveChanges(bool)"/>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        await WebhookOutbox.CollectAsync(this, cancellationToken);
        Features.Reports.Inbox.ReportSearch.Stamp(ChangeTracker);
        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CitizenDb).Assembly, type => !type.IsAbstract && type.Namespace?.StartsWith("CitizenSensor.Features", StringComparison.Ordinal) == true);

        foreach (var entity in builder.Model.GetEntityTypes().Where(e => typeof(IUnitScoped).IsAssignableFrom(e.ClrType)).ToList())
        {
            typeof(CitizenDb).GetMethod(nameof(ApplyScope), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(entity.ClrType)
                .Invoke(this, [builder]);
        }

        // Reports that no city could place have no unit path; they belong to every city's triage desk.
        builder.Entity<Report>().HasQueryFilter(ScopeFilter, r => !ScopeRestricted
            || (r.UnitPath != null && r.UnitPath.StartsWith(ScopePath))
            || (r.UnitPath == null && ScopeSeesUnplaced));
    }

    private void ApplyScope<T>(ModelBuilder builder)
        where T : class, IUnitScoped =>
        builder.Entity<T>().HasQueryFilter(ScopeFilter, e => !ScopeRestricted || (e.UnitPath != null && e.UnitPath.StartsWith(ScopePath)));
}
