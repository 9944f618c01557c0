using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// The categories for the hot paths (every submission, every processed batch), read from the database at most once
/// every <see cref="MaxAge"/>. An edit on this node is seen at once (<see cref="Invalidate"/>); another node sees it
/// within <see cref="MaxAge"/>.
/// </summary>
public sealed class CategoryCache(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private volatile Entry? _entry;

    public async ValueTask<IReadOnlyDictionary<string, Category>> GetAsync(CancellationToken cancellationToken)
    {
        var entry = _entry;
        var now = time.GetUtcNow();
        if (entry is not null && now - entry.ReadAt < MaxAge && now >= entry.ReadAt)
        {
            return entry.Categories;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var categories = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, StringComparer.Ordinal, cancellationToken);
        _entry = new Entry(categories, now);
        return categories;
    }

    /// <summary>The active codes (what a reporter may choose).</summary>
    public async ValueTask<IReadOnlySet<string>> ActiveCodesAsync(CancellationToken cancellationToken)
    {
        var categories = await GetAsync(cancellationToken);
        return categories.Values.Where(c => c.Active).Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
    }

    public void Invalidate() => _entry = null;

    private sealed record Entry(Dictionary<string, Category> Categories, DateTimeOffset ReadAt);
}
