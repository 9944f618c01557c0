using System.Security.Cryptography;
using System.Text;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Channels.Open311;

/// <summary>An Open311 client (an app, a partner's system) and the hash of its API key; the key itself is shown once.</summary>
public sealed class Open311Client
{
    public const string KeyPrefix = "o311_";

    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>SHA-256 of the key, hex: a stolen database does not give the keys away.</summary>
    public required string KeyHash { get; set; }

    /// <summary>The key's first characters, so that Admin can tell keys apart.</summary>
    public required string KeyHint { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public static string NewKey() => KeyPrefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(24));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

internal sealed class Open311ClientConfiguration : IEntityTypeConfiguration<Open311Client>
{
    public void Configure(EntityTypeBuilder<Open311Client> builder)
    {
        builder.ToTable("Open311Clients");
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.Property(c => c.KeyHash).HasMaxLength(64);
        builder.HasIndex(c => c.KeyHash).IsUnique();
        builder.Property(c => c.KeyHint).HasMaxLength(16);
        builder.Property(c => c.CreatedBy).HasMaxLength(256);
    }
}

public sealed record Open311ClientView(int Id, string Name, string KeyHint, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt);

public sealed record IssuedOpen311Key(int Id, string Name, string Key, DateTimeOffset CreatedAt);

/// <summary>
/// Issues, checks and revokes Open311 API keys: the rules behind the admin API, the admin page and the operator's
/// command. Admin only; each change is saved with its audit entry, or not at all.
/// </summary>
public sealed class Open311Keys(CitizenDb db, TimeProvider time, Auditor audit, IStringLocalizer<SharedResource> text)
{
    public const int MaxName = 100;

    /// <summary>Who may issue, list and revoke keys.</summary>
    public static bool MayManage(StaffActor actor) => actor.IsAdmin;

    /// <summary>Issues a key for a client named 2 to <see cref="MaxName"/> characters of plain text; the key is in the answer only.</summary>
    public async Task<Outcome<IssuedOpen311Key>> IssueAsync(StaffActor actor, string? name, CancellationToken cancellationToken)
    {
        if (!MayManage(actor))
        {
            return new Outcome<IssuedOpen311Key>.Forbidden(text["Outcome_AdminOnly"]);
        }

        var errors = new Dictionary<string, string[]>();
        var trimmed = name?.Trim() ?? "";
        PlainText.Check("name", trimmed, errors);
        if (errors.Count == 0 && trimmed.Length is < 2 or > MaxName)
        {
            errors["name"] = [$"'name' must be 2 to {MaxName} characters besides surrounding spaces."];
        }

        if (errors.Count > 0)
        {
            return Outcome.Invalid<IssuedOpen311Key>(errors);
        }

        var key = Open311Client.NewKey();
        var client = new Open311Client
        {
            Name = trimmed,
            KeyHash = Open311Client.Hash(key),
            KeyHint = key[..(Open311Client.KeyPrefix.Length + 4)],
            CreatedAt = time.GetUtcNow(),
            CreatedBy = actor.Name,
        };
        db.Open311Clients.Add(client);
        audit.Record(actor, "open311-key.issue", "open311-client", trimmed.Length <= 64 ? trimmed : trimmed[..64], null, new { name = trimmed });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(new IssuedOpen311Key(client.Id, client.Name, key, client.CreatedAt));
    }

    /// <summary>The client holding this key, unless it is unknown or revoked.</summary>
    public async Task<Open311Client?> FindAsync(string? key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 100)
        {
            return null;
        }

        var hash = Open311Client.Hash(key);
        return await db.Open311Clients.AsNoTracking().SingleOrDefaultAsync(c => c.KeyHash == hash && c.RevokedAt == null, cancellationToken);
    }

    public async Task<Outcome<List<Open311ClientView>>> ListAsync(StaffActor actor, CancellationToken cancellationToken) =>
        !MayManage(actor)
            ? new Outcome<List<Open311ClientView>>.Forbidden(text["Outcome_AdminOnly"])
            : Outcome.Done(await db.Open311Clients.AsNoTracking().OrderBy(c => c.Id)
                .Select(c => new Open311ClientView(c.Id, c.Name, c.KeyHint, c.CreatedAt, c.CreatedBy, c.RevokedAt))
                .ToListAsync(cancellationToken));

    /// <summary>Revokes a client's key (again: no change, no entry).</summary>
    public async Task<Outcome<Open311ClientView>> RevokeAsync(StaffActor actor, int id, CancellationToken cancellationToken)
    {
        if (!MayManage(actor))
        {
            return new Outcome<Open311ClientView>.Forbidden(text["Outcome_AdminOnly"]);
        }

        var client = await db.Open311Clients.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (client is null)
        {
            return new Outcome<Open311ClientView>.NotFound($"There is no Open311 client {id}.");
        }

        if (client.RevokedAt is null)
        {
            client.RevokedAt = time.GetUtcNow();
            audit.Record(actor, "open311-key.revoke", "open311-client", id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, null);
            await db.SaveChangesAsync(cancellationToken);
        }

        return Outcome.Done(new Open311ClientView(client.Id, client.Name, client.KeyHint, client.CreatedAt, client.CreatedBy, client.RevokedAt));
    }
}
