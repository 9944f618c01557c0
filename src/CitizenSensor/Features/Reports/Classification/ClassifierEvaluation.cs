using System.Text.Json;

namespace CitizenSensor.Features.Reports.Classification;

/// <summary>One labelled report of the corpus (<c>corpus.jsonl</c>).</summary>
public sealed record LabelledReport(string Id, string Category, string Split, string Text);

public sealed record CategoryScore(string Category, int Count, double Precision, double Recall, double F1, int BelowThreshold);

public sealed record EvaluationResult(
    int Count,
    double Accuracy,
    int Confident,
    double ConfidentAccuracy,
    IReadOnlyList<CategoryScore> Categories,
    IReadOnlyList<(LabelledReport Report, Classification Result)> Results);

/// <summary>Precision and recall per category of the classifier on a labelled set.</summary>
public static class ClassifierEvaluation
{
    public static IReadOnlyList<LabelledReport> Load(string path) =>
        [.. File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<LabelledReport>(l, JsonSerializerOptions.Web)!)];

    public static EvaluationResult Evaluate(ReportClassifier classifier, IReadOnlyList<LabelledReport> reports, double threshold)
    {
        var results = reports.Select(r => (Report: r, Result: classifier.Classify(r.Text))).ToList();
        var categories = reports.Select(r => r.Category).Distinct().Order(StringComparer.Ordinal).Select(category =>
        {
            var truePositives = results.Count(x => x.Report.Category == category && x.Result.Category == category);
            var predicted = results.Count(x => x.Result.Category == category);
            var actual = results.Count(x => x.Report.Category == category);
            var precision = predicted == 0 ? 0 : (double)truePositives / predicted;
            var recall = actual == 0 ? 0 : (double)truePositives / actual;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            return new CategoryScore(category, actual, precision, recall, f1, results.Count(x => x.Report.Category == category && x.Result.Confidence < threshold));
        }).ToList();
        var confident = results.Where(x => x.Result.Confidence >= threshold).ToList();
        return new EvaluationResult(
            results.Count,
            results.Count == 0 ? 0 : (double)results.Count(x => x.Report.Category == x.Result.Category) / results.Count,
            confident.Count,
            confident.Count == 0 ? 0 : (double)confident.Count(x => x.Report.Category == x.Result.Category) / confident.Count,
            categories,
            results);
    }
}
