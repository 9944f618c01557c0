using System.Collections.Concurrent;
using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>
/// A ward as records that belong to one (venues, declarations, follow-ups) need it: a unit with no units below it,
/// and the unit that handles it, its ancestor at the set's handling depth (ADR 0011): in 2021 a ward of Quận 1 and
/// Quận 1; in 2025 a commune, which handles itself.
/// </summary>
public sealed record WardInfo(string Code, string Name, string DistrictCode, string DistrictName, string UnitPath)
{
    /// <summary>
    /// The ward a person names by its GSO code (or its key), in the set valid on the day: "26740" is Phường Bến Nghé in
    /// 2021 and Phường Sài Gòn from July 2025. <paramref name="units"/> may be scoped to an officer's units; the
    /// handling unit is looked up everywhere, since it can lie above that scope.
    /// </summary>
    public static async Task<WardInfo?> NamedAsync(IQueryable<HandlingUnit> units, CitizenDb db, UnitSetInfo set, string code, CancellationToken cancellationToken)
    {
        var found = await units.AsNoTracking()
            .Where(u => u.SetId == set.Id && (u.GsoCode == code || u.Code == code) && u.ParentCode != null)
            .Select(u => new { u.Code, u.Name, u.UnitPath })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : await WithHandlingUnitAsync(db, found.Code, found.Name, found.UnitPath, set.HandlingDepth, cancellationToken);
    }

    /// <summary>A stored record's ward, by its key, in whichever set it belongs to.</summary>
    public static async Task<WardInfo?> ByKeyAsync(IQueryable<HandlingUnit> units, CitizenDb db, string key, CancellationToken cancellationToken)
    {
        var found = await units.AsNoTracking()
            .Where(u => u.Code == key && u.ParentCode != null)
            .Select(u => new { u.Code, u.Name, u.UnitPath, u.Set!.HandlingDepth })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : await WithHandlingUnitAsync(db, found.Code, found.Name, found.UnitPath, found.HandlingDepth, cancellationToken);
    }

    private static async Task<WardInfo?> WithHandlingUnitAsync(CitizenDb db, string key, string name, string path, int handlingDepth, CancellationToken cancellationToken)
    {
        var everywhere = db.Units.IgnoreQueryFilters().AsNoTracking();
        if (await everywhere.AnyAsync(c => c.ParentCode == key, cancellationToken))
        {
            return null; // a district or a city, not a ward
        }

        var handling = HandlingUnit.KeyAtDepth(path, handlingDepth);
        var handlingName = handling == key ? name : await everywhere.Where(p => p.Code == handling).Select(p => p.Name).SingleAsync(cancellationToken);
        return new WardInfo(key, name, handling, handlingName, path);
    }
}

/// <summary>
/// Wards by code, for ingest paths that check thousands of ward codes a second: each ward is read once and kept for
/// <see cref="Lifetime"/> (units change only when an operator imports them). Unknown codes are not cached.
/// A code names the ward of the set valid today (<see cref="WardInfo.NamedAsync"/>).
/// </summary>
public sealed class WardDirectory(IServiceScopeFactory scopes, JurisdictionCatalog catalog, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<(string Set, string Code), (WardInfo Ward, DateTimeOffset Until)> _cache = new();

    public async ValueTask<WardInfo?> FindAsync(string? code, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 16)
        {
            return null;
        }

        code = code.Trim();
        var now = time.GetUtcNow();
        var set = (await catalog.GetAsync()).At(now).Set;
        if (_cache.TryGetValue((set.Id, code), out var cached) && cached.Until > now)
        {
            return cached.Ward;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var ward = await WardInfo.NamedAsync(db.Units.IgnoreQueryFilters(), db, set, code, cancellationToken);
        if (ward is not null)
        {
            _cache[(set.Id, code)] = (ward, now + Lifetime);
        }

        return ward;
    }
}
