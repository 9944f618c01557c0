using System.Globalization;
using Microsoft.AspNetCore.DataProtection;

namespace CitizenSensor.Features.Venues;

/// <summary>
/// A resident's personal QR for venue scanners: their phone (and name, if given) sealed with the portal's data
/// protection keys and an expiry, so the QR reveals nothing to whoever photographs it and cannot be forged or edited.
/// </summary>
public sealed class CheckInPasses(IDataProtectionProvider protection, TimeProvider time, VenueOptions options)
{
    private readonly IDataProtector _protector = protection.CreateProtector("CitizenSensor.Venues.CheckInPass.v1");

    /// <summary>A pass valid for <paramref name="lifetime"/> (by default <see cref="VenueOptions.PassLifetime"/>).</summary>
    public (string Pass, DateTimeOffset ExpiresAt) Issue(string phone, string? name, TimeSpan? lifetime = null)
    {
        var expires = time.GetUtcNow() + (lifetime ?? options.PassLifetime);
        var payload = string.Join('\n', expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), phone, name ?? "");
        return ("CSP1." + _protector.Protect(payload), expires);
    }

    /// <summary>The phone and name in a pass; null with the reason when it is not a valid, current pass.</summary>
    public (string? Phone, string? Name, string? Problem) Read(string pass)
    {
        if (!pass.StartsWith("CSP1.", StringComparison.Ordinal) || pass.Length > 1000)
        {
            return (null, null, "This is not a CitizenSensor personal QR.");
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(pass[5..]);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return (null, null, "This personal QR was not issued by this portal, or it was altered.");
        }

        var parts = payload.Split('\n');
        if (DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[0], CultureInfo.InvariantCulture)) < time.GetUtcNow())
        {
            return (null, null, "This personal QR has expired: the resident opens the check-in page to get a new one.");
        }

        return (parts[1], parts[2].Length > 0 ? parts[2] : null, null);
    }
}
