using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Jurisdictions;

public sealed record WardChoice(string Code, string Name);

public sealed record DistrictChoice(string Name, IReadOnlyList<WardChoice> Wards);

/// <summary>What the public forms' ward list needs (<c>Pages/Shared/_WardSelect.cshtml</c>): each district with its wards, by name.</summary>
public sealed record WardSelect(IReadOnlyList<DistrictChoice> Districts, string? Selected, bool Invalid, string? DescribedBy = null)
{
    public static async Task<IReadOnlyList<DistrictChoice>> LoadAsync(CitizenDb db, CancellationToken cancellationToken)
    {
        var units = await db.Units.AsNoTracking().Where(u => u.Level == 2 || u.Level == 3)
            .Select(u => new { u.Code, u.Name, u.Level, u.ParentCode }).ToListAsync(cancellationToken);
        var wards = units.Where(u => u.Level == 3).ToLookup(u => u.ParentCode);
        return [.. units.Where(u => u.Level == 2 && wards[u.Code].Any())
            .Select(d => new DistrictChoice(d.Name, [.. wards[d.Code].OrderBy(w => w.Name, StringComparer.Ordinal).Select(w => new WardChoice(w.Code, w.Name))]))
            .OrderBy(d => d.Name, StringComparer.Ordinal)];
    }
}
