using System.Text.RegularExpressions;

namespace CitizenSensor.Infrastructure;

/// <summary>
/// The e-mail addresses the portal takes from people: ordinary ones only (letters, digits and <c>. _ % + -</c> before the
/// @, a domain of dotted labels with a top-level name), at most 100 characters. RFC 5322 allows far more (quoted local
/// parts, comments, IP literals), which mail systems rarely accept and which carry markup into pages and mail headers.
/// </summary>
public static partial class EmailAddresses
{
    public const int MaxLength = 100;

    public static bool IsOrdinary(string? address, int maxLength = MaxLength) =>
        address is { Length: > 0 } && address.Length <= maxLength && Ordinary().IsMatch(address) && !address.Contains("..", StringComparison.Ordinal);

    /// <summary>The address as it is compared and kept: trimmed, lower case (mailboxes are case-insensitive in practice).</summary>
    public static string Normalize(string address) => address.Trim().ToLowerInvariant();

    [GeneratedRegex(@"^[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Ordinary();
}
