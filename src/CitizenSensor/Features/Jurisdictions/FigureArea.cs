using System.Security.Claims;
using CitizenSensor.Data;
using CitizenSensor.Features.Staff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Jurisdictions;

public sealed record UnitName(string Code, string Name);

/// <summary>
/// The unit a figures endpoint reports on: the one asked for if it is among the caller's units (the query filter hides
/// the others), else the caller's own; an Admin without a unit sees every city (<see cref="Unit"/> null). With the
/// districts inside it (or, for a ward, around it) and every district's name.
/// </summary>
public sealed record FigureArea(UnitName? Unit, int? Level, string Path, IReadOnlyList<string> Districts, IReadOnlyDictionary<string, string> DistrictNames)
{
    public string DistrictName(string code) => DistrictNames.GetValueOrDefault(code, code);

    /// <summary>What a dashboard offers to choose from: the caller's provinces and their districts, in tree order.</summary>
    public static async Task<IReadOnlyList<(string Code, string Name, int Level)>> ChoicesAsync(CitizenDb db, CancellationToken cancellationToken) =>
        [.. (await db.Units.AsNoTracking().Where(u => u.Level <= 2).OrderBy(u => u.UnitPath)
            .Select(u => new { u.Code, u.Name, u.Level }).ToListAsync(cancellationToken))
            .Select(u => (u.Code, u.Name, u.Level))];

    /// <summary>The unit a dashboard shows: the one chosen; an Admin without a unit starts on the first city rather than on every city at once.</summary>
    public static string? DashboardUnit(ClaimsPrincipal user, IReadOnlyList<(string Code, string Name, int Level)> choices, string? chosen) =>
        string.IsNullOrWhiteSpace(chosen) && user.FindFirst(UnitScope.UnitCodeClaim) is null ? choices.FirstOrDefault(u => u.Level == 1).Code : chosen;

    /// <summary>The area, or a 404 naming the unit that is unknown or not the caller's.</summary>
    public static async Task<(FigureArea? Area, ProblemHttpResult? Problem)> ResolveAsync(CitizenDb db, ClaimsPrincipal user, string? unit, CancellationToken cancellationToken)
    {
        var code = string.IsNullOrWhiteSpace(unit) ? user.FindFirstValue(UnitScope.UnitCodeClaim) : unit.Trim();
        var area = code is null ? null : await db.Units.AsNoTracking().Where(u => u.Code == code)
            .Select(u => new { u.Code, u.Name, u.Level, u.UnitPath }).SingleOrDefaultAsync(cancellationToken);
        if (code is not null && area is null)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown unit",
                detail: $"Unit '{code}' does not exist or is not one of your units."));
        }

        var path = area?.UnitPath ?? "/";
        var districts = await db.Units.IgnoreQueryFilters().AsNoTracking().Where(u => u.Level == 2)
            .Select(u => new { u.Code, u.Name, u.UnitPath }).ToListAsync(cancellationToken);
        return (new FigureArea(
            area is null ? null : new UnitName(area.Code, area.Name),
            area?.Level,
            path,
            [.. districts.Where(d => d.UnitPath.StartsWith(path, StringComparison.Ordinal) || path.StartsWith(d.UnitPath, StringComparison.Ordinal)).Select(d => d.Code)],
            districts.ToDictionary(d => d.Code, d => d.Name, StringComparer.Ordinal)), null);
    }
}
