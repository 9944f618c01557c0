using System.Text.RegularExpressions;

namespace CitizenSensor.Infrastructure;

/// <summary>
/// Viet Nam's phone numbers, the one rule every door uses (reports, calls, check-ins, declarations, cases, venues):
/// written as people write them ("0909 123 456", "+84 909.123.456"), kept in the national form ("0909123456"), and
/// sent to gateways in E.164 ("+84909123456").
/// </summary>
public static partial class PhoneNumbers
{
    /// <summary>The error for a field that must hold a Vietnamese phone number.</summary>
    public static string Problem(string field) => $"'{field}' must be a Vietnamese phone number, such as 0909 123 456 or +84 909 123 456.";

    /// <summary>The national form of a number as people write it, or null when it is not a Vietnamese phone number.</summary>
    public static string? Normalize(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        var digits = Separators().Replace(phone.Trim(), "");
        if (digits.StartsWith("+84", StringComparison.Ordinal))
        {
            digits = "0" + digits[3..];
        }
        else if (digits.StartsWith("84", StringComparison.Ordinal) && digits.Length == 11)
        {
            digits = "0" + digits[2..];
        }

        return VietnamesePhone().IsMatch(digits) ? digits : null;
    }

    /// <summary>A national-form number ("0909123456") in E.164 ("+84909123456"), as SMS gateways take it.</summary>
    public static string ToE164(string national) =>
        Normalize(national) is { } normal ? "+84" + normal[1..] : throw new ArgumentException("Not a Vietnamese phone number.", nameof(national));

    [GeneratedRegex(@"[\s.\-()]")]
    private static partial Regex Separators();

    [GeneratedRegex(@"^0[1-9]\d{8,9}$")]
    private static partial Regex VietnamesePhone();
}
