using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Jurisdictions;

public sealed record WardChoice(string Code, string Name);

public sealed record DistrictChoice(string Name, IReadOnlyList<WardChoice> Wards);

/// <summary>What the public forms' ward list needs (<c>Pages/Shared/_WardSelect.cshtml</c>): each district with its wards, by name.</summary>
public sealed record WardSelect(IReadOnlyList<DistrictChoice> Districts, string? Selected, bool Invalid, string? DescribedBy = null)
{
    /// <summary>Today's wards (the units of the set with none below them), grouped under their parents: wards by district in 2021, communes by city after.</summary>
    public static async Task<IReadOnlyList<DistrictChoice>> LoadAsync(CitizenDb db, UnitSetInfo set, CancellationToken cancellationToken) =>
        await LoadAsync(db, set, null, cancellationToken);

    /// <summary>
    /// The same, only the wards within <paramref name="withinPath"/> (a staff member's units; every ward when null),
    /// still under their districts' names even when the district itself is above the staff member's units.
    /// </summary>
    public static async Task<IReadOnlyList<DistrictChoice>> LoadAsync(CitizenDb db, UnitSetInfo set, string? withinPath, CancellationToken cancellationToken)
    {
        var units = await db.Units.IgnoreQueryFilters().AsNoTracking().Where(u => u.SetId == set.Id)
            .Select(u => new { u.Code, u.GsoCode, u.Name, u.ParentCode, u.UnitPath }).ToListAsync(cancellationToken);
        var parents = units.Select(u => u.ParentCode).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var wards = units.Where(u => u.ParentCode is not null && !parents.Contains(u.Code) && (withinPath is null || u.UnitPath.StartsWith(withinPath, StringComparison.Ordinal)))
            .ToLookup(u => u.ParentCode);
        return [.. units.Where(u => wards[u.Code].Any())
            .Select(d => new DistrictChoice(d.Name, [.. wards[d.Code].OrderBy(w => w.Name, StringComparer.Ordinal).Select(w => new WardChoice(w.GsoCode, w.Name))]))
            .OrderBy(d => d.Name, StringComparer.Ordinal)];
    }
}
