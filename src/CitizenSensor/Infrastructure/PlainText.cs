using System.Text.RegularExpressions;

namespace CitizenSensor.Infrastructure;

/// <summary>
/// Free-text fields are plain text. Markup is refused with a 400 that names it, rather than stored and escaped
/// later by whoever displays it (pages escape everything anyway). "giá &lt; 50k" is fine; "&lt;script&gt;" is not.
/// </summary>
public static partial class PlainText
{
    /// <summary>The first HTML tag, script URL or event-handler attribute in the text, or null.</summary>
    public static string? FindMarkup(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var match = Markup().Match(text);
        return match.Success ? Shorten(match.Value, 40) : null;
    }

    /// <summary>Text quoted back in an error message, cut to <paramref name="max"/> characters.</summary>
    public static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    /// <summary>Adds an error for <paramref name="field"/> when its text holds markup.</summary>
    public static void Check(string field, string? text, Dictionary<string, string[]> errors)
    {
        if (FindMarkup(text) is { } markup)
        {
            errors[field] = [$"'{field}' must be plain text; it contains markup ({markup})."];
        }
    }

    /// <summary>
    /// Adds an error for <paramref name="field"/> when a name (a display name, a title) holds control characters such
    /// as NUL, nothing visible (only spaces, zero-width or other invisible characters), or markup.
    /// </summary>
    public static void CheckName(string field, string? text, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (text.Any(char.IsControl))
        {
            errors[field] = [$"'{field}' must not contain control characters."];
        }
        else if (!text.EnumerateRunes().Any(IsVisible))
        {
            errors[field] = [$"'{field}' must contain visible characters, not only spaces or invisible ones."];
        }
        else
        {
            Check(field, text, errors);
        }
    }

    /// <summary>Whether a character shows: not a space, a format character (zero-width, BOM), a lone mark or a blank filler.</summary>
    private static bool IsVisible(System.Text.Rune rune) =>
        !System.Text.Rune.IsWhiteSpace(rune)
        && System.Text.Rune.GetUnicodeCategory(rune) is not (System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.Control
            or System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.EnclosingMark)
        && rune.Value is not (0x115F or 0x1160 or 0x2800 or 0x3164 or 0xFFA0);

    [GeneratedRegex(@"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?\s*>|javascript\s*:|\bon[a-z]{3,}\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Markup();
}
