using CitizenSensor.Infrastructure;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>Finding units by what people type: without diacritics, with the usual abbreviations, the last word half typed.</summary>
public static class UnitSearch
{
    /// <summary>The units whose folded name holds every word of <paramref name="text"/> ("go va" finds "Quận Gò Vấp").</summary>
    public static IQueryable<HandlingUnit> Matching(IQueryable<HandlingUnit> units, string? text)
    {
        var words = ExpandAbbreviations(VietnameseText.Tokens(text));
        for (var i = 0; i < words.Length; i++)
        {
            // Whole words, except the last, which may be half typed.
            var pattern = i == words.Length - 1 ? " " + words[i] : " " + words[i] + " ";
            units = units.Where(u => (" " + u.SearchName + " ").Contains(pattern));
        }

        return units;
    }

    /// <summary>"q" → "quan", "p" → "phuong", "tp" → "thanh pho"…: the search column holds the full folded name.</summary>
    private static string[] ExpandAbbreviations(string[] tokens) => [.. tokens.SelectMany(token => token switch
    {
        "q" => ["quan"],
        "p" or "f" => ["phuong"],
        "h" => ["huyen"],
        "tp" => ["thanh", "pho"],
        "tx" => ["thi", "xa"],
        "tt" => ["thi", "tran"],
        _ => new[] { token },
    })];
}
