using System.Globalization;
using System.Text;
using System.Text.Json;
using CitizenSensor.Infrastructure;

namespace CitizenSensor.Features.Reports.Classification;

public sealed record Classification(string Category, double Confidence, string Explanation, IReadOnlyDictionary<string, double> Scores);

/// <summary>
/// An explainable classifier for Vietnamese reports written with or without diacritics, in teencode or with typos.
/// The text is folded (no diacritics, lower case), teencode is expanded ("ko" → "khong", "dc" → "duoc"), and
/// weighted cue phrases per category (<c>rules.json</c>) are summed. Confidence is the softmax share of the winner,
/// so two categories with similar evidence give a low confidence and the report goes to a person.
/// The rules are data: tuned on the corpus's training part, measured on its held-out part (docs/benchmarks.md).
/// </summary>
public sealed class ReportClassifier
{
    private const int MaxPhraseTokens = 5;

    private static readonly JsonSerializerOptions RulesJson = new() { PropertyNameCaseInsensitive = true };

    private readonly Dictionary<string, List<(string Category, double Weight)>> _phrases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _teencode = new(StringComparer.Ordinal);
    private readonly string[] _categories;
    private readonly double _baselineOther;
    private readonly double _questionMarkWeight;
    private readonly double _hintWeight;
    private readonly double _sharpness;
    private readonly HashSet<string> _intents;
    private readonly List<(string[] First, string[] Then, int Within, string Category, double Weight)> _gapCues;
    private readonly double _intentThreshold;
    private readonly double _topicDamping;

    public ReportClassifier(ClassifierRules rules)
    {
        _categories = [.. rules.Cues.Keys];
        _baselineOther = rules.BaselineOther;
        _questionMarkWeight = rules.QuestionMarkWeight;
        _hintWeight = rules.HintWeight;
        _sharpness = rules.Sharpness;
        _intents = [.. rules.Intents];
        _intentThreshold = rules.IntentThreshold;
        _topicDamping = rules.TopicDamping;
        _gapCues = [.. rules.GapCues.Select(g => (Normalize(g.First), Normalize(g.Then), g.Within, g.Category, g.Weight))];
        foreach (var phrase in rules.Neutral)
        {
            _phrases[string.Join(' ', Normalize(phrase))] = [];
        }
        foreach (var (word, expansion) in rules.Teencode)
        {
            _teencode[word] = expansion.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }

        foreach (var (category, cues) in rules.Cues)
        {
            foreach (var (phrase, weight) in cues)
            {
                var key = string.Join(' ', Normalize(phrase));
                if (!_phrases.TryGetValue(key, out var list) || list.Count == 0)
                {
                    _phrases[key] = list = [];
                }

                list.Add((category, weight));
            }
        }
    }

    public static ReportClassifier LoadDefault()
    {
        using var stream = typeof(ReportClassifier).Assembly.GetManifestResourceStream("CitizenSensor.Features.Reports.Classification.rules.json")
            ?? throw new InvalidOperationException("The classifier rules are not embedded in the assembly.");
        var rules = JsonSerializer.Deserialize<ClassifierRules>(stream, RulesJson)
            ?? throw new InvalidDataException("Empty classifier rules.");
        return new ReportClassifier(rules);
    }

    public Classification Classify(string text, string? hint = null)
    {
        var scores = _categories.ToDictionary(c => c, _ => 0.0, StringComparer.Ordinal);
        var reasons = _categories.ToDictionary(c => c, _ => new List<string>(), StringComparer.Ordinal);
        scores[Category.Other] = _baselineOther;

        var tokens = Normalize(text);
        var i = 0;
        while (i < tokens.Length)
        {
            var matched = 0;
            for (var length = Math.Min(MaxPhraseTokens, tokens.Length - i); length >= 1; length--)
            {
                var phrase = string.Join(' ', tokens, i, length);
                if (_phrases.TryGetValue(phrase, out var hits))
                {
                    foreach (var (category, weight) in hits)
                    {
                        scores[category] += weight;
                        reasons[category].Add(phrase);
                    }

                    matched = length;
                    break;
                }
            }

            i += Math.Max(matched, 1);
        }

        foreach (var (first, then, within, category, weight) in _gapCues)
        {
            if (scores.ContainsKey(category) && FollowedWithin(tokens, first, then, within))
            {
                scores[category] += weight;
                reasons[category].Add($"{string.Join(' ', first)} … {string.Join(' ', then)}");
            }
        }

        if (text.Contains('?', StringComparison.Ordinal) && scores.ContainsKey(Category.Question))
        {
            scores[Category.Question] += _questionMarkWeight;
            reasons[Category.Question].Add("?");
        }

        // Speech acts outrank topics: a question about F0 quarantine is a question, a proposal about markets a suggestion.
        if (_intents.Any(intent => scores.GetValueOrDefault(intent) >= _intentThreshold))
        {
            foreach (var topic in _categories.Where(c => !_intents.Contains(c)))
            {
                scores[topic] *= _topicDamping;
            }
        }

        if (hint is not null && scores.ContainsKey(hint))
        {
            scores[hint] += _hintWeight;
            reasons[hint].Add("reporter's choice");
        }

        var max = scores.Values.Max();
        var exp = scores.ToDictionary(s => s.Key, s => Math.Exp(_sharpness * (s.Value - max)), StringComparer.Ordinal);
        var total = exp.Values.Sum();
        var best = scores.OrderByDescending(s => s.Value).ThenBy(s => Array.IndexOf(_categories, s.Key)).First().Key;
        var confidence = exp[best] / total;
        return new Classification(best, Math.Round(confidence, 3), Explain(best, scores, reasons), scores);
    }

    /// <summary>Folded tokens with teencode expanded: "Ko đc ngồi tại chỗ" → khong duoc ngoi tai cho.</summary>
    public string[] Normalize(string text)
    {
        var tokens = new List<string>();
        foreach (var token in VietnameseText.Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var squeezed = Squeeze(token);
            if (_teencode.TryGetValue(squeezed, out var expansion))
            {
                tokens.AddRange(expansion);
            }
            else
            {
                tokens.Add(squeezed);
            }
        }

        return [.. tokens];
    }

    /// <summary>True when <paramref name="then"/> starts at most <paramref name="within"/> tokens after <paramref name="first"/> ends.</summary>
    private static bool FollowedWithin(string[] tokens, string[] first, string[] then, int within)
    {
        for (var i = 0; i + first.Length <= tokens.Length; i++)
        {
            if (!tokens.AsSpan(i, first.Length).SequenceEqual(first))
            {
                continue;
            }

            var from = i + first.Length;
            for (var j = from; j <= Math.Min(from + within, tokens.Length - then.Length); j++)
            {
                if (tokens.AsSpan(j, then.Length).SequenceEqual(then))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>"nhauuuu" → "nhau", "dongggg" → "dong": letters repeated for emphasis.</summary>
    private static string Squeeze(string token)
    {
        if (token.Length < 4)
        {
            return token;
        }

        var builder = new StringBuilder(token.Length);
        foreach (var c in token)
        {
            if (builder.Length >= 1 && builder[^1] == c && char.IsLetter(c) && builder.Length >= 2 && builder[^2] == c)
            {
                continue;
            }

            builder.Append(c);
        }

        var result = builder.ToString();
        // a doubled final letter is never Vietnamese either ("nhauu" → "nhau")
        return result.Length > 2 && result[^1] == result[^2] && char.IsLetter(result[^1]) ? result[..^1] : result;
    }

    private static string Explain(string best, Dictionary<string, double> scores, Dictionary<string, List<string>> reasons)
    {
        var parts = scores.Where(s => reasons[s.Key].Count > 0)
            .OrderByDescending(s => s.Value)
            .Take(3)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:0.#}: {string.Join(", ", reasons[s.Key].Distinct().Take(5))}"));
        var text = string.Join("; ", parts);
        return text.Length == 0 ? $"{best}: no cue found" : text;
    }
}

/// <summary>The classifier's data: cue phrases with weights per category, teencode, and the scoring knobs.</summary>
public sealed class ClassifierRules
{
    public Dictionary<string, Dictionary<string, double>> Cues { get; set; } = [];

    public Dictionary<string, string> Teencode { get; set; } = [];

    public double BaselineOther { get; set; } = 0.5;

    public double QuestionMarkWeight { get; set; } = 1.5;

    public double HintWeight { get; set; } = 1;

    public double Sharpness { get; set; } = 1.5;

    /// <summary>Phrases consumed without scoring: they would otherwise trip a word that folds to a cue ("ở đầu hẻm" is not "ở đâu").</summary>
    public List<string> Neutral { get; set; } = [];

    /// <summary>Categories that are speech acts (question, suggestion) rather than topics.</summary>
    public List<string> Intents { get; set; } = [];

    /// <summary>From this score on, an intent damps the topic categories by <see cref="TopicDamping"/>.</summary>
    public double IntentThreshold { get; set; } = 3;

    public double TopicDamping { get; set; } = 0.5;

    /// <summary>Two phrases a few words apart ("có được … không"): the shape of a question with its subject inside.</summary>
    public List<GapCue> GapCues { get; set; } = [];
}

public sealed record GapCue(string First, string Then, int Within, string Category, double Weight);
