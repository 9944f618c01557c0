using CitizenSensor.Features.Jurisdictions;

namespace CitizenSensor.Bench;

/// <summary>
/// The address corpus against the shipped units: the share routed automatically and the precision of those routes
/// (target: at least 99 %). <c>dotnet run -c Release --project bench/CitizenSensor.Bench -- addresses [--corpus F] [--errors]</c>
/// </summary>
public static class AddressEvaluation
{
    public static string DefaultCorpus => Path.Combine("tests", "CitizenSensor.Tests", "Features", "Jurisdictions", "addresses-2021.tsv");

    public static int Run(string[] args)
    {
        var corpus = AddressCorpus.Load(CommandLine.Option(args, "--corpus") ?? DefaultCorpus);
        var snapshot = ShippedUnits.Load();
        var outcomes = corpus.Select(c => snapshot.MatchAddress(c.Address, c.Day ?? ShippedUnits.In2021) is var m ? new AddressOutcome(c, m.District?.Code, m.Ward?.Code) : null!).ToList();
        foreach (var line in AddressCorpus.Summary(outcomes))
        {
            Console.WriteLine(line);
        }

        if (args.Contains("--errors"))
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

        return 0;
    }
}
