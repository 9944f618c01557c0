using System.Globalization;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// Why a report waits for a person, stored as a kind and its particulars ("ambiguous|Quận 1;Quận 3") so that the
/// desk reads it in its own language. Reasons stored before this format are shown as they were written.
/// </summary>
public static class TriageReasons
{
    public const string OutsideEveryCityKind = "outside-city";
    public const string InNoUnitKind = "in-no-unit";
    public const string AmbiguousKind = "ambiguous";
    public const string NoLocationKind = "no-location";
    public const string AddressKind = "address";
    public const string AddressAmbiguousKind = "address-ambiguous";
    public const string LowConfidenceKind = "low-confidence";
    public const string UnknownCategoryKind = "unknown-category";
    public const string FailedKind = "failed";
    public const string SentBackKind = "sent-back";
    public const string ReopenedKind = "reopened";
    public const string NoDescriptionKind = "no-description";

    private const char Separator = '|';

    public static string OutsideEveryCity() => OutsideEveryCityKind;

    public static string InNoUnit(string city) => Join(InNoUnitKind, city);

    public static string Ambiguous(IEnumerable<string> units) => Join(AmbiguousKind, NameList(units));

    public static string NoLocation() => NoLocationKind;

    public static string AddressNotMatched(string? city) => Join(AddressKind, city ?? "");

    /// <summary>The address fits several units (the candidates).</summary>
    public static string AddressAmbiguous(IEnumerable<string> candidates) => Join(AddressAmbiguousKind, NameList(candidates));

    public static string LowConfidence(double confidence, string? best, string? second) =>
        Join(LowConfidenceKind, confidence.ToString("0.00", CultureInfo.InvariantCulture), best ?? "", second ?? "");

    public static string UnknownCategory(string hint) => Join(UnknownCategoryKind, hint);

    public static string Failed() => FailedKind;

    /// <summary>Sent without a description (Open311 allows it): a person reads the rest and classifies it.</summary>
    public static string NoDescription() => NoDescriptionKind;

    public static string SentBack(string unit, string? note) => Join(SentBackKind, unit, note ?? "");

    public static string Reopened(string note) => Join(ReopenedKind, note);

    /// <summary>The kind of a stored reason, or null for a reason written in free text.</summary>
    public static string? KindOf(string? stored) => stored is null ? null : Parts(stored)[0] is var kind && Arity(kind) >= 0 ? kind : null;

    /// <summary>The reason in the current language; <paramref name="categoryName"/> names a category code.</summary>
    public static string? Describe(string? stored, IStringLocalizer<SharedResource> text, Func<string, string> categoryName)
    {
        if (stored is null)
        {
            return null;
        }

        var parts = Parts(stored);
        // A kind stored with fewer particulars than it has (an older or hand-made row) reads with blanks, never throws.
        var args = parts.Skip(1).Concat(Enumerable.Repeat("", 3)).ToArray();
        return parts[0] switch
        {
            OutsideEveryCityKind => text["Triage_OutsideEveryCity"],
            InNoUnitKind => text["Triage_InNoUnit", args[0]],
            AmbiguousKind => text["Triage_Ambiguous", string.Join(", ", args[0].Split(';'))],
            NoLocationKind => text["Triage_NoLocation"],
            AddressKind => args[0].Length > 0 ? text["Triage_AddressIn", args[0]] : text["Triage_Address"],
            AddressAmbiguousKind => text["Triage_AddressAmbiguous", string.Join("; ", args[0].Split(';'))],
            LowConfidenceKind => text["Triage_LowConfidence", Percent(args[0]), Name(args[1]), Name(args[2])],
            UnknownCategoryKind => text["Triage_UnknownCategory", Name(args[0])],
            FailedKind => text["Triage_Failed"],
            NoDescriptionKind => text["Triage_NoDescription"],
            SentBackKind => args[1].Length > 0 ? text["Triage_SentBackWhy", args[0], args[1]] : text["Triage_SentBack", args[0]],
            ReopenedKind => text["Triage_Reopened", args[0]],
            _ => stored,
        };

        string Name(string code) => code.Length == 0 ? "—" : categoryName(code);
    }

    private static string Percent(string confidence) =>
        double.TryParse(confidence, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value.ToString("P0", CultureInfo.CurrentCulture) : confidence;

    /// <summary>The kind and exactly as many particulars as it has (a note may contain the separator), or the free text alone.</summary>
    private static string[] Parts(string stored)
    {
        var kind = stored.Split(Separator, 2)[0];
        var arity = Arity(kind);
        if (arity < 0)
        {
            return [stored];
        }

        var parts = stored.Split(Separator, arity + 1);
        return parts.Length == arity + 1 ? parts : [stored];
    }

    private static int Arity(string kind) => kind switch
    {
        OutsideEveryCityKind or NoLocationKind or FailedKind or NoDescriptionKind => 0,
        InNoUnitKind or AmbiguousKind or AddressKind or AddressAmbiguousKind or UnknownCategoryKind or ReopenedKind => 1,
        SentBackKind => 2,
        LowConfidenceKind => 3,
        _ => -1,
    };

    /// <summary>Units' names as one particular, ';'-separated, as many as fit the stored reason's column (300 characters).</summary>
    private static string NameList(IEnumerable<string> names)
    {
        var kept = new List<string>();
        var length = 0;
        foreach (var name in names.Select(n => Clean(n).Replace(';', ',')))
        {
            if (length + name.Length > 250)
            {
                break;
            }

            kept.Add(name);
            length += name.Length + 1;
        }

        return string.Join(';', kept);
    }

    private static string Join(string kind, params string[] args) => string.Join(Separator, args.Select(Clean).Prepend(kind));

    private static string Clean(string value) => value.Replace(Separator, '/').Trim();
}
