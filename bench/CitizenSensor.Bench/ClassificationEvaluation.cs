using System.Globalization;
using System.Text;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Reports.Classification;

namespace CitizenSensor.Bench;

/// <summary>
/// Precision and recall of the classifier per category on one split of the corpus:
/// <c>dotnet run -c Release --project bench/CitizenSensor.Bench -- classify [--split test|train] [--errors]</c>.
/// Tune the rules on "train"; report "test".
/// </summary>
public static class ClassificationEvaluation
{
    public static string DefaultCorpus => Path.Combine("src", "CitizenSensor", "Features", "Reports", "Classification", "corpus.jsonl");

    public static int Run(string[] args)
    {
        var split = CommandLine.Option(args, "--split") ?? "test";
        var corpus = ClassifierEvaluation.Load(CommandLine.Option(args, "--corpus") ?? DefaultCorpus).Where(r => r.Split == split).ToList();
        var threshold = new ReportProcessingOptions().MinConfidence;
        var evaluation = ClassifierEvaluation.Evaluate(ReportClassifier.LoadDefault(), corpus, threshold);
        var categories = evaluation.Categories.Select(c => c.Category).ToList();

        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"split {split}: {evaluation.Count} reports, confidence threshold {threshold}");
        output.AppendLine("| category | n | precision | recall | F1 | below threshold |");
        output.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var c in evaluation.Categories)
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"| {c.Category} | {c.Count} | {c.Precision:0.00} | {c.Recall:0.00} | {c.F1:0.00} | {c.BelowThreshold} |");
        }

        output.AppendLine(CultureInfo.InvariantCulture, $"accuracy {evaluation.Accuracy:0.000}; routed automatically {evaluation.Confident}/{evaluation.Count} ({(double)evaluation.Confident / evaluation.Count:0%}) with accuracy {evaluation.ConfidentAccuracy:0.000}; the rest go to triage");
        output.AppendLine("confusion (rows: labelled, columns: predicted)");
        output.AppendLine("| | " + string.Join(" | ", categories) + " |");
        foreach (var actual in categories)
        {
            output.AppendLine($"| {actual} | " + string.Join(" | ", categories.Select(p => evaluation.Results.Count(x => x.Report.Category == actual && x.Result.Category == p).ToString(CultureInfo.InvariantCulture))) + " |");
        }

        if (args.Contains("--errors"))
        {
            foreach (var (report, result) in evaluation.Results.Where(x => x.Report.Category != x.Result.Category))
            {
                output.AppendLine(CultureInfo.InvariantCulture, $"{report.Id} {report.Category} → {result.Category} ({result.Confidence:0.00}) [{result.Explanation}] {report.Text}");
            }
        }

        Console.Write(output.ToString());
        return 0;
    }
}
