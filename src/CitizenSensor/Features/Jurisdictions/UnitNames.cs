using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>Units' names for codes a page shows ("00001" → "Phường Phúc Xá"), looked up in one query per page.</summary>
public sealed class UnitNames(IReadOnlyDictionary<string, string> names)
{
    public static readonly UnitNames None = new(new Dictionary<string, string>());

    public static async Task<UnitNames> LookUpAsync(CitizenDb db, IEnumerable<string?> codes, CancellationToken cancellationToken)
    {
        var wanted = codes.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return None;
        }

        return new UnitNames(await db.Units.AsNoTracking().Where(u => wanted.Contains(u.Code)).ToDictionaryAsync(u => u.Code, u => u.Name, cancellationToken));
    }

    /// <summary>The unit's name, or its code when the unit is not known (or not in the caller's scope).</summary>
    public string For(string code) => names.TryGetValue(code, out var name) ? name : code;
}
