using System.Security.Cryptography;
using CitizenSensor.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Venues;

/// <summary>
/// A QR "location": a shop, office or public place where people check in. Its code is random (60 bits), so the
/// check-in URL cannot be guessed; the owner manages it with a secret key given once at registration (only its hash is
/// kept). It belongs to its ward, so ward and district officers see and manage it.
/// </summary>
public sealed class Venue : IUnitScoped
{
    public long Id { get; set; }

    public required string Code { get; set; }

    public required string Name { get; set; }

    public required string Kind { get; set; }

    public required string Address { get; set; }

    public required string WardCode { get; set; }

    /// <summary>The ward's district, kept for the per-district figures.</summary>
    public required string DistrictCode { get; set; }

    /// <summary>The ward's path ("/01/001/00001/").</summary>
    public required string UnitPath { get; set; }

    public double? Lat { get; set; }

    public double? Lng { get; set; }

    /// <summary>Name and address folded for diacritics-insensitive search ("pho ha noi" finds "Phở Hà Nội").</summary>
    public string SearchText { get; set; } = "";

    /// <summary>The owner's name, sealed (<see cref="Data.PersonalData"/>).</summary>
    public byte[] SealedOwnerName { get; set; } = [];

    /// <summary>The owner's phone (normalised), sealed.</summary>
    public byte[] SealedOwnerPhone { get; set; } = [];

    /// <summary>The keyed hash of the owner's phone (<see cref="PhoneLookup"/>): matches the business registry's phone without keeping it in clear.</summary>
    public byte[] OwnerPhoneHash { get; set; } = [];

    /// <summary>SHA-256 of the owner's key.</summary>
    public required byte[] ManageKeyHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The local (city) day it was created, for the daily figures.</summary>
    public DateOnly CreatedDay { get; set; }

    /// <summary>"owner" (public form or API) or the officer's e-mail.</summary>
    public required string CreatedBy { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public int Version { get; set; }

    public bool IsOpen => ClosedAt is null;

    // Crockford's base-32 alphabet: no I, L, O or U, so a code read aloud or typed from a poster is unambiguous.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int CodeLength = 12;

    /// <summary>The look-up hash of an owner's normalised phone (<see cref="OwnerPhoneHash"/>).</summary>
    public static byte[] PhoneLookup(Data.PersonalData personal, string normalizedPhone) => personal.Hash("venue-owner-phone", normalizedPhone);

    /// <summary>Seals the owner's name and (normalised) phone, and keeps the phone's look-up hash.</summary>
    public void SealOwner(Data.PersonalData personal, string? name, string? phone)
    {
        if (name is not null)
        {
            SealedOwnerName = personal.Encrypt(name);
        }

        if (phone is not null)
        {
            SealedOwnerPhone = personal.Encrypt(phone);
            OwnerPhoneHash = PhoneLookup(personal, phone);
        }
    }

    public static string NewCode() => RandomNumberGenerator.GetString(Alphabet, CodeLength);

    public static string NewManageKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    public static byte[] HashKey(string key) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));

    public bool KeyMatches(string? key) => KeyMatches(ManageKeyHash, key);

    /// <summary>Whether <paramref name="key"/> is the one whose hash was kept (in constant time).</summary>
    public static bool KeyMatches(byte[] keyHash, string? key) =>
        !string.IsNullOrEmpty(key) && key.Length < 100 && CryptographicOperations.FixedTimeEquals(HashKey(key), keyHash);

    /// <summary>Codes as people type them: any case, with spaces or dashes, O for 0 and I/L for 1.</summary>
    public static string? NormalizeCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 40)
        {
            return null;
        }

        var chars = code.Trim().ToUpperInvariant().Where(c => c is not (' ' or '-')).Select(c => c switch { 'O' => '0', 'I' or 'L' => '1', _ => c }).ToArray();
        return chars.Length == CodeLength && chars.All(c => Alphabet.Contains(c, StringComparison.Ordinal)) ? new string(chars) : null;
    }
}

public static class VenueKinds
{
    public static IReadOnlyList<string> All { get; } = ["shop", "restaurant", "market", "office", "factory", "school", "hospital", "transport", "public-place", "other"];
}

internal sealed class VenueConfiguration : IEntityTypeConfiguration<Venue>
{
    public void Configure(EntityTypeBuilder<Venue> builder)
    {
        builder.ToTable("Venues");
        builder.Property(v => v.Code).HasMaxLength(Venue.CodeLength);
        builder.HasIndex(v => v.Code).IsUnique();
        builder.Property(v => v.Name).HasMaxLength(VenueRules.MaxName);
        builder.Property(v => v.Kind).HasMaxLength(16);
        builder.Property(v => v.Address).HasMaxLength(VenueRules.MaxAddress);
        builder.Property(v => v.WardCode).HasMaxLength(16);
        builder.Property(v => v.DistrictCode).HasMaxLength(16);
        builder.Property(v => v.UnitPath).HasMaxLength(256);
        builder.Property(v => v.SearchText).HasMaxLength(VenueRules.MaxName + VenueRules.MaxAddress + 1);
        builder.Property(v => v.ManageKeyHash).HasMaxLength(32);
        builder.Property(v => v.CreatedBy).HasMaxLength(256);
        builder.Property(v => v.Version).IsConcurrencyToken();
        builder.Ignore(v => v.IsOpen);
        // The unit's subtree (scope filter, figures). The figures' venue counts read this index alone; a separate index
        // on the creation day would tempt SQLite's planner (which cannot see that "created by day D" is every row) into
        // a look-up per venue, ten times slower over a city's 360,000 venues.
        builder.HasIndex(v => new { v.UnitPath, v.CreatedDay, v.ClosedAt, v.DistrictCode });
        builder.Property(v => v.OwnerPhoneHash).HasMaxLength(32);
        builder.HasIndex(v => v.OwnerPhoneHash);
    }
}
