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

    /// <summary>The text without control characters other than line breaks and tabs, for text taken as it comes (chat messages).</summary>
    public static string? WithoutControlCharacters(string? text) =>
        text is null || !text.Any(IsStray) ? text : string.Concat(text.Where(c => !IsStray(c)));

    private static bool IsStray(char c) => char.IsControl(c) && c is not ('\n' or '\r' or '\t');

    /// <summary>Text quoted back in an error message, cut to <paramref name="max"/> characters.</summary>
    public static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    /// <summary>
    /// Adds an error for <paramref name="field"/> when free text (a description, an address, a note) holds control
    /// characters other than line breaks and tabs (NUL, escape…), nothing visible (only spaces, zero-width or other
    /// invisible characters), or markup. Empty text is left to the field's own "required" rule.
    /// </summary>
    public static void Check(string field, string? text, Dictionary<string, string[]> errors) => Report(field, Inspect(text), errors);

    /// <summary>
    /// Adds an error for <paramref name="field"/> when a name (a display name, a title) holds any control character
    /// (NUL, a line break…), nothing visible, or markup.
    /// </summary>
    public static void CheckName(string field, string? text, Dictionary<string, string[]> errors) => Report(field, Inspect(text, singleLine: true), errors);

    /// <summary>
    /// What is wrong with a text, for callers that word their own (localised) messages; <see cref="TextFlaw.None"/>
    /// for empty text. <paramref name="singleLine"/> refuses line breaks and tabs too.
    /// </summary>
    public static (TextFlaw Flaw, string? Markup) Inspect(string? text, bool singleLine = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return (TextFlaw.None, null);
        }

        if (text.Any(c => singleLine ? char.IsControl(c) : IsStray(c)))
        {
            return (TextFlaw.ControlCharacters, null);
        }

        if (!text.EnumerateRunes().Any(IsVisible))
        {
            return (TextFlaw.Invisible, null);
        }

        return FindMarkup(text) is { } markup ? (TextFlaw.Markup, markup) : (TextFlaw.None, null);
    }

    private static void Report(string field, (TextFlaw Flaw, string? Markup) found, Dictionary<string, string[]> errors)
    {
        var message = found.Flaw switch
        {
            TextFlaw.ControlCharacters => $"'{field}' must not contain control characters (such as NUL).",
            TextFlaw.Invisible => $"'{field}' must contain visible characters, not only spaces or invisible ones.",
            TextFlaw.Markup => $"'{field}' must be plain text; it contains markup ({found.Markup}).",
            _ => null,
        };
        if (message is not null)
        {
            errors[field] = [message];
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

/// <summary>What <see cref="PlainText.Inspect"/> found wrong with a text.</summary>
public enum TextFlaw
{
    None,
    ControlCharacters,
    Invisible,
    Markup,
}
