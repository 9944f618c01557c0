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

    [GeneratedRegex(@"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?\s*>|javascript\s*:|\bon[a-z]{3,}\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Markup();
}
