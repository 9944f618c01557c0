using System.Text.Json;
using System.Text.RegularExpressions;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Declarations;

/// <summary>Text in Vietnamese and English.</summary>
public sealed record Bilingual(string Vi, string En)
{
    public string For(string culture) => culture.StartsWith("en", StringComparison.Ordinal) ? En : Vi;
}

public sealed record AnswerOption(string Code, Bilingual Text);

/// <summary>
/// One question. Types: <c>string</c>, <c>text</c> (long), <c>integer</c>, <c>boolean</c>, <c>date</c>, <c>choice</c>,
/// <c>multi-choice</c>; the built-in questions also use <c>phone</c>, <c>ward</c> and <c>places</c> (place and date).
/// Built-in questions are the named fields of the API; their id, type and options are fixed.
/// </summary>
public sealed record Question(string Id, string Type, bool Required, Bilingual Text, IReadOnlyList<AnswerOption>? Options = null, bool BuiltIn = false);

/// <summary>A version of the questionnaire. Saving the questionnaire adds a version; declarations record theirs.</summary>
public sealed class QuestionnaireVersion
{
    public int Version { get; set; }

    public required Bilingual Title { get; set; }

    public required List<Question> Questions { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    public Question? Find(string id) => Questions.Find(q => q.Id == id);
}

internal sealed class QuestionnaireVersionConfiguration : IEntityTypeConfiguration<QuestionnaireVersion>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<QuestionnaireVersion> builder)
    {
        builder.ToTable("QuestionnaireVersions");
        builder.HasKey(q => q.Version);
        builder.Property(q => q.Version).ValueGeneratedNever();
        builder.Property(q => q.CreatedBy).HasMaxLength(256);
        builder.Property(q => q.Title).HasConversion(t => JsonSerializer.Serialize(t, Json), s => JsonSerializer.Deserialize<Bilingual>(s, Json)!);
        builder.Property(q => q.Questions).HasConversion(
            q => JsonSerializer.Serialize(q, Json),
            s => JsonSerializer.Deserialize<List<Question>>(s, Json)!,
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<List<Question>>(
                (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
                q => JsonSerializer.Serialize(q, Json).GetHashCode(StringComparison.Ordinal),
                q => JsonSerializer.Deserialize<List<Question>>(JsonSerializer.Serialize(q, Json), Json)!));
    }
}

/// <summary>The default questionnaire (version 1) and the rules an edited one must keep.</summary>
public static partial class QuestionnaireRules
{
    public const int MaxQuestions = 60;
    public const int MaxOptions = 30;
    public const int MaxText = 300;

    public static readonly string[] Types = ["string", "text", "integer", "boolean", "date", "choice", "multi-choice"];

    /// <summary>Built-in questions an admin cannot make optional: the person, how to reach them, and their ward.</summary>
    public static readonly string[] AlwaysRequired = ["fullName", "birthYear", "phone", "wardCode"];

    public static readonly AnswerOption[] Genders =
    [
        new("male", new("Nam", "Male")),
        new("female", new("Nữ", "Female")),
        new("other", new("Khác", "Other")),
    ];

    public static readonly (string Code, Symptoms Flag, Bilingual Text)[] SymptomCodes =
    [
        ("fever", Symptoms.Fever, new("Sốt", "Fever")),
        ("cough", Symptoms.Cough, new("Ho", "Cough")),
        ("breathing-difficulty", Symptoms.BreathingDifficulty, new("Khó thở", "Difficulty breathing")),
        ("sore-throat", Symptoms.SoreThroat, new("Đau họng", "Sore throat")),
        ("fatigue", Symptoms.Fatigue, new("Mệt mỏi", "Fatigue")),
        ("loss-of-taste-smell", Symptoms.LossOfTasteSmell, new("Mất vị giác hoặc khứu giác", "Loss of taste or smell")),
        ("other", Symptoms.Other, new("Triệu chứng khác", "Other symptoms")),
    ];

    public static readonly (string Code, Exposures Flag, Bilingual Text)[] ExposureCodes =
    [
        ("contact-confirmed", Exposures.ContactConfirmed, new("Tiếp xúc với ca bệnh xác định (F0)", "Contact with a confirmed case")),
        ("contact-suspected", Exposures.ContactSuspected, new("Tiếp xúc với ca nghi ngờ", "Contact with a suspected case")),
        ("outbreak-area", Exposures.OutbreakArea, new("Ở hoặc đến vùng có dịch", "Stay in an outbreak area")),
        ("contact-symptomatic", Exposures.ContactSymptomatic, new("Tiếp xúc với người có triệu chứng", "Contact with a person with symptoms")),
    ];

    public static QuestionnaireVersion Default(DateTimeOffset at) => new()
    {
        Version = 1,
        Title = new("Tờ khai y tế điện tử", "Electronic health declaration"),
        CreatedAt = at,
        CreatedBy = "system",
        Questions =
        [
            new("fullName", "string", true, new("Họ và tên", "Full name"), BuiltIn: true),
            new("birthYear", "integer", true, new("Năm sinh", "Year of birth"), BuiltIn: true),
            new("gender", "choice", true, new("Giới tính", "Gender"), Genders, BuiltIn: true),
            new("phone", "phone", true, new("Số điện thoại", "Phone number"), BuiltIn: true),
            new("citizenId", "string", false, new("Số CCCD/CMND (không bắt buộc)", "Citizen ID number (optional)"), BuiltIn: true),
            new("wardCode", "ward", true, new("Phường/xã nơi ở", "Ward of residence"), BuiltIn: true),
            new("address", "string", true, new("Địa chỉ (số nhà, đường)", "Address (house number, street)"), BuiltIn: true),
            new("placesVisited", "places", false, new("Những nơi đã đến trong 14 ngày qua", "Places visited in the last 14 days"), BuiltIn: true),
            new("symptoms", "multi-choice", false, new("Trong 14 ngày qua, anh/chị có triệu chứng nào sau đây?", "In the last 14 days, have you had any of these symptoms?"),
                [.. SymptomCodes.Select(s => new AnswerOption(s.Code, s.Text))], BuiltIn: true),
            new("exposures", "multi-choice", false, new("Trong 14 ngày qua, anh/chị có:", "In the last 14 days, have you had:"),
                [.. ExposureCodes.Select(e => new AnswerOption(e.Code, e.Text))], BuiltIn: true),
            new("chronicConditions", "text", false, new("Bệnh nền (nếu có)", "Chronic conditions (if any)"), BuiltIn: true),
        ],
    };

    /// <summary>
    /// The problems of an edited questionnaire, by field: every built-in question kept with its type and options (its
    /// wording may change, and optional ones may become required); added questions with a fresh id, a known type,
    /// bilingual plain text and, for choices, 2 to <see cref="MaxOptions"/> options.
    /// </summary>
    public static Dictionary<string, string[]> Check(Bilingual? title, IReadOnlyList<Question>? questions)
    {
        var errors = new Dictionary<string, string[]>();
        CheckText("title", title, errors);
        if (questions is not { Count: > 0 and <= MaxQuestions })
        {
            errors["questions"] = [$"'questions' must hold 1 to {MaxQuestions} questions."];
            return errors;
        }

        var builtIns = Default(DateTimeOffset.UnixEpoch).Questions;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < questions.Count; i++)
        {
            var field = $"questions[{i}]";
            var q = questions[i];
            if (q is null || string.IsNullOrWhiteSpace(q.Id) || !QuestionId().IsMatch(q.Id))
            {
                errors[$"{field}.id"] = ["A question's 'id' is 2 to 40 letters, digits or '-', starting with a letter."];
                continue;
            }

            if (!seen.Add(q.Id))
            {
                errors[$"{field}.id"] = [$"The id '{q.Id}' is used twice."];
                continue;
            }

            CheckText($"{field}.text", q.Text, errors);
            if (builtIns.Find(b => b.Id == q.Id) is { } builtIn)
            {
                if (q.Type != builtIn.Type)
                {
                    errors[$"{field}.type"] = [$"'{q.Id}' is a built-in question: its type stays '{builtIn.Type}'."];
                }

                if (!q.Required && AlwaysRequired.Contains(q.Id))
                {
                    errors[$"{field}.required"] = [$"'{q.Id}' is always required: the follow-up needs it."];
                }

                if (builtIn.Options is not null && (q.Options is null || !q.Options.Select(o => o?.Code).SequenceEqual(builtIn.Options.Select(o => o.Code))))
                {
                    errors[$"{field}.options"] = [$"'{q.Id}' keeps its option codes ({string.Join(", ", builtIn.Options.Select(o => o.Code))}); only their text may change."];
                }
            }
            else
            {
                if (!Types.Contains(q.Type))
                {
                    errors[$"{field}.type"] = [$"'type' must be one of: {string.Join(", ", Types)}."];
                }
                else if (q.Type is "choice" or "multi-choice")
                {
                    if (q.Options is not { Count: >= 2 and <= MaxOptions })
                    {
                        errors[$"{field}.options"] = [$"A choice needs 2 to {MaxOptions} options."];
                    }
                    else if (q.Options.Any(o => o is null || string.IsNullOrWhiteSpace(o.Code) || !QuestionId().IsMatch(o.Code)) || q.Options.Select(o => o.Code).Distinct().Count() != q.Options.Count)
                    {
                        errors[$"{field}.options"] = ["Each option needs its own 'code': 2 to 40 letters, digits or '-', starting with a letter."];
                    }
                    else
                    {
                        for (var j = 0; j < q.Options.Count; j++)
                        {
                            CheckText($"{field}.options[{j}].text", q.Options[j].Text, errors);
                        }
                    }
                }
                else if (q.Options is { Count: > 0 })
                {
                    errors[$"{field}.options"] = ["Only 'choice' and 'multi-choice' questions have options."];
                }
            }
        }

        foreach (var missing in builtIns.Where(b => !seen.Contains(b.Id)))
        {
            errors["questions"] = [.. errors.GetValueOrDefault("questions") ?? [], $"The built-in question '{missing.Id}' cannot be removed."];
        }

        return errors;
    }

    /// <summary>Built-in questions as the default defines them, with the admin's wording and required flags.</summary>
    public static List<Question> Normalize(IReadOnlyList<Question> questions)
    {
        var builtIns = Default(DateTimeOffset.UnixEpoch).Questions;
        return [.. questions.Select(q => builtIns.Find(b => b.Id == q.Id) is { } b
            ? b with { Text = Trim(q.Text), Required = q.Required, Options = [.. b.Options?.Select((o, i) => o with { Text = Trim(q.Options![i].Text) }) ?? []] }
            : q with { Text = Trim(q.Text), BuiltIn = false, Options = q.Type is "choice" or "multi-choice" ? [.. q.Options!.Select(o => o with { Text = Trim(o.Text) })] : null })
            .Select(q => q.Options is { Count: 0 } ? q with { Options = null } : q)];
    }

    private static Bilingual Trim(Bilingual text) => new(text.Vi.Trim(), text.En.Trim());

    private static void CheckText(string field, Bilingual? text, Dictionary<string, string[]> errors)
    {
        if (text is null || string.IsNullOrWhiteSpace(text.Vi) || string.IsNullOrWhiteSpace(text.En))
        {
            errors[field] = [$"'{field}' needs both 'vi' and 'en' text."];
        }
        else if (text.Vi.Length > MaxText || text.En.Length > MaxText)
        {
            errors[field] = [$"'{field}' is at most {MaxText} characters in each language."];
        }
        else if ((PlainText.FindMarkup(text.Vi) ?? PlainText.FindMarkup(text.En)) is { } markup)
        {
            errors[field] = [$"'{field}' must be plain text; it contains markup ({markup})."];
        }
    }

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9-]{1,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex QuestionId();
}
