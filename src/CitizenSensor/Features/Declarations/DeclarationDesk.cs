using System.Globalization;
using System.Text.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Venues;
using CitizenSensor.Infrastructure;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Declarations;

public sealed record PlaceVisited(string? Place, string? Date);

/// <summary>
/// A declaration as apps, partners and the web form send it: the default questionnaire's answers as named fields,
/// answers to questions an admin added in <see cref="Answers"/> (by question id).
/// </summary>
public sealed record DeclarationRequest(
    string? FullName = null,
    int? BirthYear = null,
    string? Gender = null,
    string? Phone = null,
    string? CitizenId = null,
    string? WardCode = null,
    string? Address = null,
    List<PlaceVisited?>? PlacesVisited = null,
    List<string?>? Symptoms = null,
    List<string?>? Exposures = null,
    string? ChronicConditions = null,
    string? Source = null,
    Dictionary<string, JsonElement>? Answers = null);

public sealed record VisitedPlace(string Place, DateOnly Date);

/// <summary>What a declaration says, sealed as one JSON document in <see cref="Declaration.Payload"/>.</summary>
public sealed record DeclarationPayload(
    string FullName,
    int BirthYear,
    string? Gender,
    string Phone,
    string? CitizenId,
    string? Address,
    IReadOnlyList<VisitedPlace> PlacesVisited,
    IReadOnlyList<string> Symptoms,
    IReadOnlyList<string> Exposures,
    string? ChronicConditions,
    IReadOnlyDictionary<string, JsonElement> Answers)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public byte[] Seal(PersonalData protection) => protection.Encrypt(JsonSerializer.Serialize(this, Json));

    public static DeclarationPayload Open(PersonalData protection, byte[] sealedBox) =>
        JsonSerializer.Deserialize<DeclarationPayload>(protection.Decrypt(sealedBox), Json)!;

    /// <summary>A citizen ID as staff see it: the last three digits.</summary>
    public static string? Mask(string? citizenId) => citizenId is null ? null : new string('•', citizenId.Length - 3) + citizenId[^3..];
}

/// <summary>
/// Checks a declaration against the questionnaire's current version and readies it for the writer. Every error names
/// its field (the JSON name, or <c>answers.{id}</c>) and says what is wrong in the requester's language.
/// </summary>
public sealed class DeclarationDesk(
    WardDirectory wards, PersonalData protection, Questionnaires questionnaires, CheckInPasses passes, DeclarationOptions options, BodyLimits limits,
    IStringLocalizer<SharedResource> text, TimeProvider time)
{
    public const int MaxName = 100;
    public const int MaxAddress = 200;
    public const int MaxPlaces = 30;
    public const int MaxPlace = 200;
    public const int MaxLongText = 2000;
    public const int LookBackDays = 14;

    /// <summary>
    /// The declaration ready for the writer and what it says (for the personal QR), or the errors by field; when the
    /// phone is over its limit (<see cref="RateLimitOptions.PhoneDeclarations"/>), the refusal too (429). A valid
    /// declaration counts against its phone's limit.
    /// </summary>
    public async Task<(NewDeclaration? Item, DeclarationPayload? Payload, Dictionary<string, string[]> Errors, BodyLimits.Refusal? Limited)> PrepareAsync(
        DeclarationRequest request, string source, CancellationToken cancellationToken)
    {
        var questionnaire = await questionnaires.CurrentAsync(cancellationToken);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var today = CityTime.DayOf(now);
        string Label(string id) => questionnaire.Find(id)?.Text.For(CultureInfo.CurrentUICulture.Name) ?? id;
        bool Required(string id) => questionnaire.Find(id)?.Required == true;
        void Error(string field, string key, params object[] arguments) => errors[field] = [text[key, arguments]];

        string? Text(string id, string? value, int max)
        {
            var trimmed = value?.Trim();
            if (string.IsNullOrEmpty(trimmed))
            {
                if (Required(id))
                {
                    Error(id, "DeclRequired", Label(id));
                }

                return null;
            }

            if (trimmed.Length > max)
            {
                Error(id, "DeclTooLong", Label(id), max);
            }
            else if (TextProblem(Label(id), trimmed, singleLine: max <= MaxName) is { } problem)
            {
                errors[id] = [problem];
            }

            return trimmed;
        }

        var fullName = Text("fullName", request.FullName, MaxName);
        if (request.BirthYear is null)
        {
            Error("birthYear", "DeclRequired", Label("birthYear"));
        }
        else if (request.BirthYear < 1900 || request.BirthYear > today.Year)
        {
            Error("birthYear", "DeclBirthYear", Label("birthYear"), 1900, today.Year);
        }

        var gender = Text("gender", request.Gender, 20);
        if (gender is not null && !QuestionnaireRules.Genders.Any(g => g.Code == gender))
        {
            Error("gender", "DeclUnknownOption", Label("gender"), PlainText.Shorten(gender, 20), string.Join(", ", QuestionnaireRules.Genders.Select(g => g.Code)));
        }

        var phone = PhoneNumbers.Normalize(request.Phone);
        if (string.IsNullOrWhiteSpace(request.Phone))
        {
            Error("phone", "DeclRequired", Label("phone"));
        }
        else if (phone is null)
        {
            Error("phone", "DeclPhone", Label("phone"));
        }

        var citizenId = Text("citizenId", request.CitizenId, 20)?.Replace(" ", "", StringComparison.Ordinal);
        if (citizenId is not null && !errors.ContainsKey("citizenId") && (citizenId.Length is not (9 or 12) || !citizenId.All(char.IsAsciiDigit)))
        {
            Error("citizenId", "DeclCitizenId", Label("citizenId"));
        }

        WardInfo? ward = null;
        if (string.IsNullOrWhiteSpace(request.WardCode))
        {
            Error("wardCode", "DeclRequired", Label("wardCode"));
        }
        else if ((ward = await wards.FindAsync(request.WardCode, cancellationToken)) is null)
        {
            Error("wardCode", "DeclWard", Label("wardCode"), PlainText.Shorten(request.WardCode.Trim(), 20));
        }

        var address = Text("address", request.Address, MaxAddress);
        var places = CheckPlaces(request.PlacesVisited, Required("placesVisited"), Label("placesVisited"), today, errors);
        var (symptomCodes, symptoms) = CheckCodes("symptoms", request.Symptoms, QuestionnaireRules.SymptomCodes.Select(s => (s.Code, (int)s.Flag)), Required("symptoms"), Label("symptoms"), errors);
        var (exposureCodes, exposures) = CheckCodes("exposures", request.Exposures, QuestionnaireRules.ExposureCodes.Select(e => (e.Code, (int)e.Flag)), Required("exposures"), Label("exposures"), errors);
        var conditions = Text("chronicConditions", request.ChronicConditions, MaxLongText);
        var answers = CheckAnswers(questionnaire, request.Answers, today, errors);

        if (errors.Count > 0)
        {
            return (null, null, errors, null);
        }

        if (limits.Declaration(protection.Hash(phone!)) is { } refusal)
        {
            errors["phone"] = [text["TooManyTryLater", (refusal.Seconds + 59) / 60]];
            return (null, null, errors, refusal);
        }

        var payload = new DeclarationPayload(fullName!, request.BirthYear!.Value, gender, phone!, citizenId, address, places, symptomCodes, exposureCodes, conditions, answers);
        var person = Declaration.PersonOf(protection, phone!, fullName!);
        return (new NewDeclaration(now, person, payload.Seal(protection), ward!, (Symptoms)symptoms, (Exposures)exposures, source, questionnaire.Version), payload, errors, null);
    }

    /// <summary>The personal QR a declarant gets: their phone and name sealed, valid <see cref="DeclarationOptions.PassLifetime"/>.</summary>
    public (string Pass, DateTimeOffset ExpiresAt) IssuePass(DeclarationPayload payload) => passes.Issue(payload.Phone, payload.FullName, options.PassLifetime);

    /// <summary>The shared plain-text rule (no NUL or other control characters, something visible, no markup), worded for residents.</summary>
    private string? TextProblem(string label, string? value, bool singleLine = false) => PlainText.Inspect(value, singleLine) switch
    {
        (TextFlaw.ControlCharacters, _) => text["DeclControl", label].Value,
        (TextFlaw.Invisible, _) => text["DeclInvisible", label].Value,
        (TextFlaw.Markup, var markup) => text["DeclMarkup", label, markup!].Value,
        _ => null,
    };

    private List<VisitedPlace> CheckPlaces(List<PlaceVisited?>? places, bool required, string label, DateOnly today, Dictionary<string, string[]> errors)
    {
        var result = new List<VisitedPlace>();
        if (places is not { Count: > 0 })
        {
            if (required)
            {
                errors["placesVisited"] = [text["DeclRequired", label]];
            }

            return result;
        }

        if (places.Count > MaxPlaces)
        {
            errors["placesVisited"] = [text["DeclTooMany", label, MaxPlaces]];
            return result;
        }

        for (var i = 0; i < places.Count; i++)
        {
            var field = $"placesVisited[{i}]";
            var place = places[i]?.Place?.Trim();
            var placeLabel = text["DeclPlace"];
            var dateLabel = text["DeclPlaceDate"];
            if (string.IsNullOrEmpty(place))
            {
                errors[field + ".place"] = [text["DeclRequired", placeLabel]];
            }
            else if (place.Length > MaxPlace)
            {
                errors[field + ".place"] = [text["DeclTooLong", placeLabel, MaxPlace]];
            }
            else if (TextProblem(placeLabel, place) is { } problem)
            {
                errors[field + ".place"] = [problem];
            }

            if (CheckDate(field + ".date", places[i]?.Date, dateLabel, required: true, today, errors) is { } date && place is not null)
            {
                result.Add(new VisitedPlace(place, date));
            }
        }

        return result;
    }

    private DateOnly? CheckDate(string field, string? value, string label, bool required, DateOnly today, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors[field] = [text["DeclRequired", label]];
            }

            return null;
        }

        if (!DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors[field] = [text["DeclDateFormat", label]];
        }
        else if (date > today)
        {
            errors[field] = [text["DeclDateFuture", label, value.Trim()]];
        }
        else if (date < today.AddDays(-LookBackDays) && field.StartsWith("placesVisited", StringComparison.Ordinal))
        {
            errors[field] = [text["DeclDateOld", label, value.Trim(), LookBackDays]];
        }
        else
        {
            return date;
        }

        return null;
    }

    private (List<string> Codes, int Flags) CheckCodes(string field, List<string?>? values, IEnumerable<(string Code, int Flag)> known, bool required, string label, Dictionary<string, string[]> errors)
    {
        var options = known.ToList();
        var codes = new List<string>();
        var flags = 0;
        foreach (var value in values ?? [])
        {
            var code = value?.Trim();
            if (options.FirstOrDefault(o => o.Code == code) is { Code: not null } option)
            {
                flags |= option.Flag;
                if (!codes.Contains(option.Code))
                {
                    codes.Add(option.Code);
                }
            }
            else
            {
                errors[field] = [text["DeclUnknownOption", label, PlainText.Shorten(code ?? "null", 30), string.Join(", ", options.Select(o => o.Code))]];
            }
        }

        if (required && codes.Count == 0 && !errors.ContainsKey(field))
        {
            errors[field] = [text["DeclRequired", label]];
        }

        return (codes, flags);
    }

    private Dictionary<string, JsonElement> CheckAnswers(QuestionnaireVersion questionnaire, Dictionary<string, JsonElement>? answers, DateOnly today, Dictionary<string, string[]> errors)
    {
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        answers ??= [];
        foreach (var id in answers.Keys.Where(k => questionnaire.Find(k) is not { BuiltIn: false }))
        {
            errors[$"answers.{PlainText.Shorten(id, 40)}"] = [text["DeclUnknownQuestion", PlainText.Shorten(id, 40)]];
        }

        foreach (var question in questionnaire.Questions.Where(q => !q.BuiltIn))
        {
            var field = $"answers.{question.Id}";
            var label = question.Text.For(CultureInfo.CurrentUICulture.Name);
            if (!answers.TryGetValue(question.Id, out var answer) || answer.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
                || (answer.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(answer.GetString()))
                || (answer.ValueKind == JsonValueKind.Array && answer.GetArrayLength() == 0))
            {
                if (question.Required)
                {
                    errors[field] = [text["DeclRequired", label]];
                }

                continue;
            }

            var problem = question.Type switch
            {
                "string" or "text" when answer.ValueKind != JsonValueKind.String => text["DeclText", label],
                "string" or "text" when answer.GetString()!.Trim().Length > (question.Type == "text" ? MaxLongText : MaxPlace) =>
                    text["DeclTooLong", label, question.Type == "text" ? MaxLongText : MaxPlace],
                "string" or "text" when TextProblem(label, answer.GetString()) is { } flaw => flaw,
                "integer" when answer.ValueKind != JsonValueKind.Number || !answer.TryGetInt64(out _) => text["DeclWholeNumber", label],
                "boolean" when answer.ValueKind is not (JsonValueKind.True or JsonValueKind.False) => text["DeclBoolean", label],
                "choice" when answer.ValueKind != JsonValueKind.String || question.Options!.All(o => o.Code != answer.GetString()) =>
                    text["DeclUnknownOption", label, PlainText.Shorten(answer.ToString(), 30), string.Join(", ", question.Options!.Select(o => o.Code))],
                "multi-choice" when answer.ValueKind != JsonValueKind.Array || answer.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String) => text["DeclChoiceList", label],
                "multi-choice" when answer.EnumerateArray().FirstOrDefault(a => question.Options!.All(o => o.Code != a.GetString())) is { ValueKind: JsonValueKind.String } unknown =>
                    text["DeclUnknownOption", label, PlainText.Shorten(unknown.GetString()!, 30), string.Join(", ", question.Options!.Select(o => o.Code))],
                "date" when answer.ValueKind != JsonValueKind.String => text["DeclDateFormat", label],
                _ => null,
            };
            if (problem is not null)
            {
                errors[field] = [problem];
                continue;
            }

            if (question.Type == "date" && CheckDate(field, answer.GetString(), label, required: false, today, errors) is null)
            {
                continue;
            }

            result[question.Id] = answer.ValueKind == JsonValueKind.String ? JsonSerializer.SerializeToElement(answer.GetString()!.Trim()) : answer.Clone();
        }

        return result;
    }
}
