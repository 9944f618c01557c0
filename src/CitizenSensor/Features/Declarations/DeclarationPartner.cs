using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Declarations;

/// <summary>
/// A partner system that posts declarations (a national app's back end, a hospital's kiosk) with its own key. Its
/// declarations are counted under <see cref="Source"/>. Only the key's hash is stored; the key is shown once.
/// </summary>
public sealed class DeclarationPartner
{
    public const string KeyPrefix = "dp_";

    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The source name its declarations are counted under (lower case, e.g. <c>pc-covid</c>).</summary>
    public required string Source { get; set; }

    public required string KeyHash { get; set; }

    public required string KeyHint { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public static string NewKey() => KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

internal sealed class DeclarationPartnerConfiguration : IEntityTypeConfiguration<DeclarationPartner>
{
    public void Configure(EntityTypeBuilder<DeclarationPartner> builder)
    {
        builder.ToTable("DeclarationPartners");
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.Property(p => p.Source).HasMaxLength(40);
        builder.HasIndex(p => p.Source).IsUnique();
        builder.Property(p => p.KeyHash).HasMaxLength(64);
        builder.HasIndex(p => p.KeyHash).IsUnique();
        builder.Property(p => p.KeyHint).HasMaxLength(16);
        builder.Property(p => p.CreatedBy).HasMaxLength(256);
    }
}

/// <summary>Partner keys, each checked against the database once per <see cref="Lifetime"/> (a revocation here applies at once).</summary>
public sealed class PartnerKeys(IServiceScopeFactory scopes, TimeProvider time)
{
    public const string Header = "X-Partner-Key";
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (DeclarationPartner? Partner, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    /// <summary>The partner holding this key, unless it is unknown or revoked.</summary>
    public async ValueTask<DeclarationPartner?> FindAsync(string key, CancellationToken cancellationToken)
    {
        if (!key.StartsWith(DeclarationPartner.KeyPrefix, StringComparison.Ordinal) || key.Length > 100)
        {
            return null;
        }

        var hash = DeclarationPartner.Hash(key);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Partner;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var partner = await db.Set<DeclarationPartner>().AsNoTracking().SingleOrDefaultAsync(p => p.KeyHash == hash && p.RevokedAt == null, cancellationToken);
        if (partner is not null)
        {
            _cache[hash] = (partner, now + Lifetime);
        }

        return partner;
    }

    public void Forget(string keyHash) => _cache.TryRemove(keyHash, out _);
}
