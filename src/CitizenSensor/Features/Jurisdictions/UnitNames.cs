using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>Units' names for codes a page shows ("00001" → "Phường Phúc Xá"), looked up in one query per page.</summary>
public sealed class UnitNames(IReadOnlyDictionary<string, string> names)
{
    public static readonly UnitNames None = new(new Dictionary<string, string>());

    public static async Task<UnitNames> LookUpAsync(CitizenDb db, IEnumerable<string?> codes, CancellationToken cancellationToken) =>
        new(await ByCodeAsync(db, codes, cancellationToken));

    /// <summary>
    /// Code → name of the named units, in one query (none for no codes). A unit's name is public, so the look-up is not
    /// narrowed to the caller's units: what a record names is shown by name wherever the record may be seen.
    /// </summary>
    public static async Task<Dictionary<string, string>> ByCodeAsync(CitizenDb db, IEnumerable<string?> codes, CancellationToken cancellationToken)
    {
        var wanted = codes.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return wanted.Count == 0
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : await db.Units.IgnoreQueryFilters().AsNoTracking().Where(u => wanted.Contains(u.Code)).ToDictionaryAsync(u => u.Code, u => u.Name, cancellationToken);
    }

    /// <summary>The unit's name, or its code when the unit is not known.</summary>
    public string For(string code) => names.TryGetValue(code, out var name) ? name : code;
}
