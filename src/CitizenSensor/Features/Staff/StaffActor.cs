using System.Security.Claims;

namespace CitizenSensor.Features.Staff;

/// <summary>
/// The member of staff a domain service acts for: who (for the audit trail and notes), their roles and their unit.
/// Endpoints and page handlers build it from the signed-in user and hand it over; services decide with it and never
/// read the HTTP request themselves.
/// </summary>
public sealed record StaffActor(string? UserId, string Name, IReadOnlySet<string> Roles, string? UnitPath)
{
    /// <summary>Nobody signed in: no role, no unit.</summary>
    public static StaffActor Anonymous { get; } = new(null, "anonymous", new HashSet<string>(), null);

    /// <summary>The portal itself (background jobs): no roles; audited as "system".</summary>
    public static StaffActor System { get; } = new(null, "system", new HashSet<string>(), null);

    /// <summary>The operator at the server's command line (<c>create-open311-key</c> and the like): acts as Admin, audited as "command line".</summary>
    public static StaffActor Operator { get; } = new(null, "command line", new HashSet<string> { StaffRoles.Admin }, null);

    public bool IsAdmin => Roles.Contains(StaffRoles.Admin);

    public bool IsSignedIn => UserId is not null;

    /// <summary>Whether the actor holds at least one of the roles.</summary>
    public bool HasAnyRole(IEnumerable<string> roles) => roles.Any(Roles.Contains);

    public static StaffActor From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return Anonymous;
        }

        var roles = user.FindAll(user.Identities.First().RoleClaimType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new StaffActor(
            user.FindFirstValue(ClaimTypes.NameIdentifier),
            user.FindFirstValue(ClaimTypes.Email) ?? user.Identity.Name ?? "staff",
            roles,
            user.FindFirstValue(UnitScope.UnitPathClaim) is { Length: > 0 } path ? path : null);
    }
}
