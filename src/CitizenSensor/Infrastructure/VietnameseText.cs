using System.Globalization;
using System.Text;

namespace CitizenSensor.Infrastructure;

/// <summary>
/// Folds Vietnamese text for matching: lower case, no diacritics, đ → d, punctuation to spaces, single spaces.
/// People type "go vap" for "Gò Vấp" and "Q.1" for "Quận 1"; every search and match goes through here.
/// </summary>
public static class VietnameseText
{
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var raw in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(raw) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var c = raw switch
            {
                'đ' or 'Đ' => 'd',
                _ => char.ToLowerInvariant(raw),
            };
            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                pendingSpace = false;
                builder.Append(c);
            }
            else
            {
                pendingSpace = true;
            }
        }

        return builder.ToString();
    }

    /// <summary>Folds and also splits a letter prefix glued to a number: "q1" → "q 1", "p.12" → "p 12".</summary>
    public static string[] Tokens(string? text)
    {
        var folded = Fold(text);
        if (folded.Length == 0)
        {
            return [];
        }

        var tokens = new List<string>();
        foreach (var word in folded.Split(' '))
        {
            var firstDigit = word.AsSpan().IndexOfAnyInRange('0', '9');
            if (firstDigit > 0 && firstDigit <= 2 && word.AsSpan(firstDigit).ContainsAnyExceptInRange('0', '9') is false)
            {
                tokens.Add(word[..firstDigit]);
                tokens.Add(word[firstDigit..]);
            }
            else
            {
                tokens.Add(word);
            }
        }

        return [.. tokens];
    }
}
