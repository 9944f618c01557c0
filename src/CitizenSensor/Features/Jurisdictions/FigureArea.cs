using System.Security.Claims;
using CitizenSensor.Data;
using CitizenSensor.Features.Staff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Jurisdictions;

public sealed record UnitName(string Code, string Name);

/// <summary>Where a unit stands in its set's hierarchy, from the data (<see cref="UnitSet.HandlingDepth"/>), never from a level number.</summary>
public enum AreaKind
{
    /// <summary>No unit: every city (an Admin without one).</summary>
    Everywhere,

    /// <summary>Above the units that handle reports: a city, whose figures add up its handling units.</summary>
    AboveHandling,

    /// <summary>A unit that handles reports: a district in 2021, a commune in 2025.</summary>
    Handling,

    /// <summary>Inside a handling unit: a ward of 2021.</summary>
    BelowHandling,
}

/// <summary>
/// A unit a staff picker offers: its key, name, depth in its set (for indenting), whether it is a city, whether it
/// handles reports (its set's handling depth), and its set with the set's dates.
/// </summary>
public sealed record UnitChoice(string Code, string Name, int Depth, bool IsTop, string SetName, DateOnly? ValidFrom = null, DateOnly? ValidTo = null, bool Handles = false)
{
    /// <summary>The name indented by its depth below the city: "— Quận 1".</summary>
    public string Label => string.Concat(Enumerable.Repeat("— ", Math.Max(0, Depth - 1))) + Name;
}

/// <summary>A picker's units, grouped by set with the set's dates (<c>Pages/Shared/_UnitOptions.cshtml</c>); <paramref name="Indent"/> shows depth.</summary>
public sealed record UnitOptions(IReadOnlyList<UnitChoice> Choices, string? Selected, bool Indent = true);

/// <summary>
/// The unit a figures endpoint reports on: the one asked for if it is among the caller's units (the query filter hides
/// the others), else the caller's own; an Admin without a unit sees every city (<see cref="Unit"/> null). With the
/// handling units inside it (or, for a ward, around it) and every handling unit's name. Each set's units stand for
/// the records placed in them: a 2021 district for the records of its time, a 2025 commune for today's.
/// <see cref="Districts"/> holds the keys of the handling units in the area (districts in 2021, communes in 2025).
/// </summary>
public sealed record FigureArea(UnitName? Unit, AreaKind Kind, string Path, IReadOnlyList<string> Districts, IReadOnlyDictionary<string, string> DistrictNames)
{
    public string DistrictName(string code) => DistrictNames.GetValueOrDefault(code, code);

    /// <summary>What a dashboard offers to choose from: the caller's cities and their handling units, set by set (newest first), in tree order.</summary>
    public static async Task<IReadOnlyList<UnitChoice>> ChoicesAsync(CitizenDb db, CancellationToken cancellationToken) =>
        [.. (await db.Units.AsNoTracking().Where(u => u.Level <= u.Set!.HandlingDepth)
            .Select(u => new { u.Code, u.Name, u.Level, u.ParentCode, u.UnitPath, SetName = u.Set!.Name, u.Set.ValidFrom, u.Set.ValidTo, Handles = u.Level == u.Set.HandlingDepth })
            .ToListAsync(cancellationToken))
            .OrderByDescending(u => u.ValidFrom ?? DateOnly.MinValue).ThenBy(u => u.UnitPath, StringComparer.Ordinal)
            .Select(u => new UnitChoice(u.Code, u.Name, u.Level, u.ParentCode is null, u.SetName, u.ValidFrom, u.ValidTo, u.Handles))];

    /// <summary>The unit a dashboard shows: the one chosen; an Admin without a unit starts on the first city of today's units rather than on every city at once.</summary>
    public static string? DashboardUnit(ClaimsPrincipal user, IReadOnlyList<UnitChoice> choices, string? chosen, UnitSetInfo today) =>
        string.IsNullOrWhiteSpace(chosen) && user.FindFirst(UnitScope.UnitCodeClaim) is null
            ? (choices.FirstOrDefault(u => u.IsTop && u.SetName == today.Name) ?? choices.FirstOrDefault(u => u.IsTop))?.Code
            : chosen;

    /// <summary>
    /// The area for a service (which sees the actor, not the request): the unit named, else the actor's own; or why
    /// not, naming the unit that is unknown or not the caller's. The caller's scope must be set.
    /// </summary>
    public static async Task<(FigureArea? Area, string? Problem)> ResolveForAsync(CitizenDb db, StaffActor actor, string? unit, CancellationToken cancellationToken)
    {
        var own = actor.UnitPath?.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        var (area, problem) = await ResolveAsync(db, new ClaimsPrincipal(), string.IsNullOrWhiteSpace(unit) ? own : unit, cancellationToken);
        return (area, area is null ? problem?.ProblemDetails.Detail ?? "No such unit." : null);
    }

    /// <summary>The area, or a 404 naming the unit that is unknown or not the caller's.</summary>
    public static async Task<(FigureArea? Area, ProblemHttpResult? Problem)> ResolveAsync(CitizenDb db, ClaimsPrincipal user, string? unit, CancellationToken cancellationToken)
    {
        var code = string.IsNullOrWhiteSpace(unit) ? user.FindFirstValue(UnitScope.UnitCodeClaim) : unit.Trim();
        var area = code is null ? null : await db.Units.AsNoTracking().Where(u => u.Code == code)
            .Select(u => new { u.Code, u.Name, u.Level, u.UnitPath, u.Set!.HandlingDepth }).SingleOrDefaultAsync(cancellationToken);
        if (code is not null && area is null)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown unit",
                detail: $"Unit '{code}' does not exist or is not one of your units."));
        }

        var path = area?.UnitPath ?? "/";
        var districts = await db.Units.IgnoreQueryFilters().AsNoTracking().Where(u => u.Level == u.Set!.HandlingDepth)
            .Select(u => new { u.Code, u.Name, u.UnitPath }).ToListAsync(cancellationToken);
        var kind = area is null ? AreaKind.Everywhere
            : area.Level < area.HandlingDepth ? AreaKind.AboveHandling
            : area.Level == area.HandlingDepth ? AreaKind.Handling
            : AreaKind.BelowHandling;
        return (new FigureArea(
            area is null ? null : new UnitName(area.Code, area.Name),
            kind,
            path,
            [.. districts.Where(d => d.UnitPath.StartsWith(path, StringComparison.Ordinal) || path.StartsWith(d.UnitPath, StringComparison.Ordinal)).Select(d => d.Code)],
            districts.ToDictionary(d => d.Code, d => d.Name, StringComparer.Ordinal)), null);
    }
}
