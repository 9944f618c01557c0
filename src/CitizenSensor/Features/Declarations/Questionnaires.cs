using System.Collections.Concurrent;
using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Declarations;

/// <summary>
/// The questionnaire's versions, kept in memory: a version never changes once saved, and the current one is read again
/// after <see cref="Lifetime"/> (at once on the node where an admin saved it). Until an admin first saves the
/// questionnaire, the current version is the built-in default, version 1.
/// </summary>
public sealed class Questionnaires(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<int, QuestionnaireVersion> _versions = new();
    // A reference, replaced whole: request threads read it while another one refreshes it.
    private volatile Cached? _current;

    public async ValueTask<QuestionnaireVersion> CurrentAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_current is { } current && current.Until > now)
        {
            return current.Version;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var latest = await db.Set<QuestionnaireVersion>().AsNoTracking().OrderByDescending(q => q.Version).FirstOrDefaultAsync(cancellationToken)
            ?? QuestionnaireRules.Default(DateTimeOffset.UnixEpoch);
        _versions.TryAdd(latest.Version, latest);
        _current = new Cached(latest, now + Lifetime);
        return latest;
    }

    public async ValueTask<QuestionnaireVersion?> VersionAsync(int version, CancellationToken cancellationToken)
    {
        if (_versions.TryGetValue(version, out var known))
        {
            return known;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var stored = await db.Set<QuestionnaireVersion>().AsNoTracking().SingleOrDefaultAsync(q => q.Version == version, cancellationToken)
            ?? (version == 1 ? QuestionnaireRules.Default(DateTimeOffset.UnixEpoch) : null);
        if (stored is not null)
        {
            _versions.TryAdd(version, stored);
        }

        return stored;
    }

    /// <summary>Adds the next version to <paramref name="db"/> (and version 1, the default, if it was never stored); the caller saves.</summary>
    public async Task<QuestionnaireVersion> AddVersionAsync(CitizenDb db, Bilingual title, List<Question> questions, string by, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var latest = await db.Set<QuestionnaireVersion>().MaxAsync(q => (int?)q.Version, cancellationToken);
        if (latest is null)
        {
            db.Add(QuestionnaireRules.Default(now));
        }

        var next = new QuestionnaireVersion { Version = (latest ?? 1) + 1, Title = title, Questions = questions, CreatedAt = now, CreatedBy = by };
        db.Add(next);
        return next;
    }

    /// <summary>Reads the current version again on the next request (after an admin saved one here).</summary>
    public void Forget() => _current = null;

    private sealed record Cached(QuestionnaireVersion Version, DateTimeOffset Until);
}
