using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Reports.Classification;

/// <summary>
/// The classifier's stored explanation ("public-order 3.5: quan karaoke, hat; business 1: quan") read out as words
/// for staff: each category by name with the phrases it matched, best first, without the internal scores.
/// </summary>
public static partial class ClassificationWords
{
    /// <summary>The sentence the processor stores when the reporter's own category has no rules.</summary>
    public const string ReporterChose = "The reporter chose a category the classifier has no rules for.";

    /// <summary>The explanation in words; anything it cannot read is shown as stored.</summary>
    public static string? Describe(string? stored, IStringLocalizer text, Func<string, string> categoryName)
    {
        if (string.IsNullOrWhiteSpace(stored))
        {
            return null;
        }

        if (stored == ReporterChose)
        {
            return text["Classify_ReporterChose"];
        }

        var parts = new List<string>();
        foreach (var part in stored.Split("; ", StringSplitOptions.RemoveEmptyEntries))
        {
            var match = Part().Match(part);
            if (!match.Success)
            {
                return stored;
            }

            var name = categoryName(match.Groups["cat"].Value);
            var cues = match.Groups["cues"].Value;
            parts.Add(cues == "no cue found"
                ? text["Classify_NoCue", name]
                : text["Classify_Matched", name, string.Join(", ", cues.Split(", ").Select(c => $"‘{c}’"))]);
        }

        return string.Join("; ", parts);
    }

    [GeneratedRegex(@"^(?<cat>[a-z][a-z0-9-]*)(?: [0-9]+(?:\.[0-9]+)?)?: (?<cues>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
