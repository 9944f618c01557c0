using System.Security.Claims;

namespace CitizenSensor.Features.Staff;

/// <summary>An entity that belongs to a unit: staff see it only when it is inside their unit's subtree.</summary>
public interface IUnitScoped
{
    /// <summary>The owning unit's path ("/79/760/"), or null for rows that belong to no unit.</summary>
    string? UnitPath { get; }
}

/// <summary>
/// The unit subtree the current request may see. The DbContext filters every <see cref="IUnitScoped"/> entity by it.
/// It starts unrestricted (public pages, background jobs, sign-in) and is narrowed once per request by
/// <see cref="UnitScopeEndpoints.RequireUnitScope"/> on every staff route group: handlers never filter by hand.
/// </summary>
public sealed class UnitScope
{
    public const string UnitCodeClaim = "unit_code";
    public const string UnitPathClaim = "unit_path";

    // A path no unit has: a staff member with no unit and no Admin role sees nothing.
    private const string Nothing = "#";

    public bool IsRestricted { get; private set; }

    public string Path { get; private set; } = "";

    /// <summary>
    /// Whether rows that belong to no unit are visible too: reports no city could place (no usable location, or
    /// outside every loaded city) go to the triage desks, so every CityTriage dispatcher sees them; call agents too,
    /// who look up what a caller reported before it was placed.
    /// </summary>
    public bool SeesUnplaced { get; private set; } = true;

    public static UnitScope Unrestricted() => new();

    public void RestrictTo(ClaimsPrincipal user) => RestrictTo(StaffActor.From(user));

    public void RestrictTo(StaffActor actor)
    {
        if (actor.IsAdmin)
        {
            IsRestricted = false;
            Path = "";
            SeesUnplaced = true;
            return;
        }

        IsRestricted = true;
        Path = actor.UnitPath ?? Nothing;
        SeesUnplaced = actor.HasAnyRole([StaffRoles.CityTriage, StaffRoles.CallAgent]);
    }
}

public static class UnitScopeEndpoints
{
    /// <summary>Narrows the scope of every endpoint in a group to the signed-in staff member's unit.</summary>
    public static TBuilder RequireUnitScope<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(static async (context, next) =>
        {
            context.HttpContext.RequestServices.GetRequiredService<UnitScope>().RestrictTo(context.HttpContext.User);
            return await next(context);
        });
}
