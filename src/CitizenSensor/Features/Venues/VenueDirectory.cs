using System.Collections.Concurrent;
using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Venues;

/// <summary>What a check-in needs to know about its venue.</summary>
public sealed record VenueEntry(long Id, string Code, string Name, bool Open, byte[] ManageKeyHash)
{
    public bool KeyMatches(string? key) => Venue.KeyMatches(ManageKeyHash, key);
}

/// <summary>
/// Venues by code for the check-in path, cached for <see cref="Lifetime"/> so that a busy venue costs one query every
/// half minute rather than one per scan. This node forgets a venue as soon as it is edited or closed here; another
/// node sees a closure within <see cref="Lifetime"/>. Unknown codes are not cached: a venue registered on another node
/// can be checked into at once.
/// </summary>
public sealed class VenueDirectory(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private const int MaxEntries = 200_000;

    private readonly ConcurrentDictionary<string, (VenueEntry Entry, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async ValueTask<VenueEntry?> FindAsync(string? code, CancellationToken cancellationToken)
    {
        if (Venue.NormalizeCode(code) is not { } normalized)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (_cache.TryGetValue(normalized, out var cached) && cached.Until > now)
        {
            return cached.Entry;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var entry = await db.Venues.AsNoTracking().Where(v => v.Code == normalized)
            .Select(v => new VenueEntry(v.Id, v.Code, v.Name, v.ClosedAt == null, v.ManageKeyHash))
            .SingleOrDefaultAsync(cancellationToken);
        if (entry is not null)
        {
            if (_cache.Count >= MaxEntries)
            {
                _cache.Clear();
            }

            _cache[normalized] = (entry, now + Lifetime);
        }

        return entry;
    }

    public void Forget(string code) => _cache.TryRemove(code, out _);
}
