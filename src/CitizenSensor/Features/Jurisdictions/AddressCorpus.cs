using System.Globalization;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>
/// An address as people write it, and the units it names: the handling unit's key (a district, or a commune after
/// 2025) and maybe a ward, or none (null) when it must not be routed; the day it is written on (the 2021 units when none).
/// </summary>
public sealed record AddressCase(string Address, string? District, string? Ward, string Kind, DateOnly? Day = null);

/// <summary>What the matcher made of one address.</summary>
public sealed record AddressOutcome(AddressCase Case, string? District, string? Ward)
{
    public bool Routed => District is not null;

    /// <summary>Routed to the right district, and to its right ward or to none (the district alone is not wrong).</summary>
    public bool Correct => Routed && District == Case.District && (Ward is null || Ward == Case.Ward);
}

/// <summary>
/// The address corpus (a tab-separated file: address, handling unit's key, ward's key, kind, and optionally the day;
/// '-' for none) and its score:
/// how many addresses are routed automatically, and how many of those routes are right (precision). Read by the
/// tests and by <c>bench … addresses</c>.
/// </summary>
public static class AddressCorpus
{
    public static IReadOnlyList<AddressCase> Load(string path) =>
        [.. File.ReadLines(path)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(f => new AddressCase(f[0], None(f[1]), None(f[2]), f.Length > 3 ? f[3] : "",
                f.Length > 4 && None(f[4]) is { } day ? DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null))];

    public static double Share(IReadOnlyCollection<AddressOutcome> outcomes) =>
        outcomes.Count == 0 ? 0 : (double)outcomes.Count(o => o.Routed) / outcomes.Count;

    public static double Precision(IReadOnlyCollection<AddressOutcome> outcomes) =>
        outcomes.Count(o => o.Routed) is var routed and > 0 ? (double)outcomes.Count(o => o.Correct) / routed : 1;

    /// <summary>One line a kind, then the whole: addresses, routed, right, share and precision.</summary>
    public static IEnumerable<string> Summary(IReadOnlyCollection<AddressOutcome> outcomes)
    {
        yield return "| kind | addresses | routed | right | share routed | precision |";
        yield return "| --- | ---: | ---: | ---: | ---: | ---: |";
        foreach (var kind in outcomes.GroupBy(o => o.Case.Kind).Append(outcomes.GroupBy(_ => "all").Single()))
        {
            var list = kind.ToList();
            yield return string.Create(CultureInfo.InvariantCulture,
                $"| {kind.Key} | {list.Count} | {list.Count(o => o.Routed)} | {list.Count(o => o.Correct)} | {Share(list):0.0%} | {Precision(list):0.0%} |");
        }
    }

    private static string? None(string value) => value is "-" or "" ? null : value;
}
