using CitizenSensor.Data;
using CitizenSensor.Features.Staff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Audit;

public sealed record AuditView(long Id, DateTimeOffset At, string Actor, string Action, string EntityType, string EntityId, string? Before, string? After);

/// <summary>The audit trail, for Admin only.</summary>
public static class AuditApi
{
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {

        services.AddScoped<Auditor>();
        return services;
    }

    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/staff/audit").WithTags("Audit").RequireAuthorization(p => p.RequireRole(StaffRoles.Admin));
        group.MapGet("/", List).WithSummary("Who did what, newest first; filter by entity");
        return group;
    }

    internal static async Task<Ok<List<AuditView>>> List(CitizenDb db, string? entityType, string? entityId, int? limit, CancellationToken cancellationToken)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (entityType is not null)
        {
            query = query.Where(a => a.EntityType == entityType);
        }

        if (entityId is not null)
        {
            query = query.Where(a => a.EntityId == entityId);
        }

        var rows = await query.OrderByDescending(a => a.Id).Take(Math.Clamp(limit ?? 100, 1, 1000))
            .Select(a => new AuditView(a.Id, a.At, a.Actor, a.Action, a.EntityType, a.EntityId, a.Before, a.After))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows);
    }
}
