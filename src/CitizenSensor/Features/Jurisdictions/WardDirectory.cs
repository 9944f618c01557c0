using System.Collections.Concurrent;
using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>A ward (level 3) with its district, as the ingest paths need it.</summary>
public sealed record WardInfo(string Code, string Name, string DistrictCode, string DistrictName, string UnitPath);

/// <summary>
/// Wards by code, for ingest paths that check thousands of ward codes a second: each ward is read once and kept for
/// <see cref="Lifetime"/> (units change only when an operator imports them). Unknown codes are not cached.
/// </summary>
public sealed class WardDirectory(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, (WardInfo Ward, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async ValueTask<WardInfo?> FindAsync(string? code, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 16)
        {
            return null;
        }

        code = code.Trim();
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(code, out var cached) && cached.Until > now)
        {
            return cached.Ward;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var ward = await db.Units.IgnoreQueryFilters().AsNoTracking()
            .Where(u => u.Code == code && u.Level == 3 && u.Parent != null)
            .Select(u => new WardInfo(u.Code, u.Name, u.ParentCode!, u.Parent!.Name, u.UnitPath))
            .SingleOrDefaultAsync(cancellationToken);
        if (ward is not null)
        {
            _cache[code] = (ward, now + Lifetime);
        }

        return ward;
    }
}
