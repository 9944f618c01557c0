using CitizenSensor.Features.Jurisdictions;

namespace CitizenSensor.Bench;

/// <summary>
/// The address corpora (2021 units, and today's with old-style addresses) against the shipped units: the share routed automatically and the precision of those routes
/// (target: at least 99 %). <c>dotnet run -c Release --project bench/CitizenSensor.Bench -- addresses [--corpus F] [--errors]</c>
/// </summary>
public static class AddressEvaluation
{
    public static IReadOnlyList<string> DefaultCorpora { get; } =
        [Corpus("addresses-2021.tsv"), Corpus("addresses-2025.tsv")];

    private static string Corpus(string file) => Path.Combine("tests", "CitizenSensor.Tests", "Features", "Jurisdictions", file);

    public static int Run(string[] args)
    {
        var snapshot = ShippedUnits.Load();
        foreach (var path in CommandLine.Option(args, "--corpus") is { } one ? [one] : DefaultCorpora)
        {
            Console.WriteLine($"{Path.GetFileName(path)}:");
            Evaluate(snapshot, AddressCorpus.Load(path), args.Contains("--errors"));
        }

        return 0;
    }

    private static void Evaluate(JurisdictionCatalog.Snapshot snapshot, IReadOnlyList<AddressCase> corpus, bool errors)
    {
        var outcomes = corpus.Select(c => snapshot.MatchAddress(c.Address, c.Day ?? ShippedUnits.In2021) is var m ? new AddressOutcome(c, m.District?.Code, m.Ward?.Code) : null!).ToList();
        foreach (var line in AddressCorpus.Summary(outcomes))
        {
            Console.WriteLine(line);
        }

        if (errors)
        {
            foreach (var wrong in outcomes.Where(o => o.Routed && !o.Correct))
            {
                Console.WriteLine($"wrong: {wrong.Case.Address} -> {wrong.District}/{wrong.Ward ?? "-"}, expected {wrong.Case.District ?? "-"}/{wrong.Case.Ward ?? "-"}");
            }

            foreach (var missed in outcomes.Where(o => !o.Routed && o.Case.District is not null))
            {
                Console.WriteLine($"not routed: {missed.Case.Address} (expected {missed.Case.District}/{missed.Case.Ward ?? "-"})");
            }
        }
    }
}
