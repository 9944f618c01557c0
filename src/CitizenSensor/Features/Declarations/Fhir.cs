using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CitizenSensor.Infrastructure;

namespace CitizenSensor.Features.Declarations;

/// <summary>
/// The questionnaire and the declarations in HL7 FHIR R4 (Questionnaire, QuestionnaireResponse), the format other
/// health systems read. Texts are Vietnamese (<c>language: vi</c>) with the English in FHIR's translation extension;
/// choice answers are codings in a code system per question. The citizen ID leaves masked, as staff see it.
/// </summary>
public static class Fhir
{
    public const string ContentType = "application/fhir+json";
    public const string Translation = "http://hl7.org/fhir/StructureDefinition/translation";

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static string BaseOf(HttpContext http) => PublicSite.Of(http).BaseUrl;

    public static string CanonicalUrl(string baseUrl) => $"{baseUrl}/fhir/Questionnaire/health-declaration";

    public static object Questionnaire(QuestionnaireVersion questionnaire, string baseUrl)
    {
        var url = CanonicalUrl(baseUrl);
        var resource = new JsonObject
        {
            ["resourceType"] = "Questionnaire",
            ["id"] = $"health-declaration-{questionnaire.Version}",
            ["language"] = "vi",
            ["url"] = url,
            ["version"] = questionnaire.Version.ToString(CultureInfo.InvariantCulture),
            ["name"] = "HealthDeclaration",
            ["title"] = questionnaire.Title.Vi,
            ["_title"] = English(questionnaire.Title.En),
            ["status"] = "active",
            ["date"] = questionnaire.CreatedAt.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
            ["subjectType"] = new JsonArray("Patient"),
            ["item"] = new JsonArray([.. questionnaire.Questions.Select(q => (JsonNode)Item(q, url))]),
        };
        return resource;
    }

    private static JsonObject Item(Question question, string url)
    {
        var item = new JsonObject
        {
            ["linkId"] = question.Id,
            ["text"] = question.Text.Vi,
            ["_text"] = English(question.Text.En),
            ["type"] = question.Type switch
            {
                "multi-choice" => "choice",
                "phone" or "ward" => "string",
                "places" => "group",
                var type => type,
            },
            ["required"] = question.Required,
        };
        if (question.Type is "multi-choice" or "places")
        {
            item["repeats"] = true;
        }

        if (question.Options is { Count: > 0 } options)
        {
            item["answerOption"] = new JsonArray([.. options.Select(o => (JsonNode)new JsonObject { ["valueCoding"] = Coding(url, question.Id, o) })]);
        }

        if (question.Type == "places")
        {
            item["item"] = new JsonArray(
                new JsonObject { ["linkId"] = "placesVisited.place", ["text"] = "Nơi đã đến", ["_text"] = English("Place visited"), ["type"] = "string", ["required"] = true },
                new JsonObject { ["linkId"] = "placesVisited.date", ["text"] = "Ngày đến", ["_text"] = English("Date of the visit"), ["type"] = "date", ["required"] = true });
        }

        return item;
    }

    public static object Response(QuestionnaireVersion questionnaire, Declaration declaration, DeclarationPayload payload, string baseUrl)
    {
        var url = CanonicalUrl(baseUrl);
        var items = new JsonArray();
        foreach (var question in questionnaire.Questions)
        {
            if (question.Type == "places")
            {
                foreach (var place in payload.PlacesVisited)
                {
                    items.Add(new JsonObject
                    {
                        ["linkId"] = question.Id,
                        ["text"] = question.Text.Vi,
                        ["item"] = new JsonArray(
                            new JsonObject { ["linkId"] = "placesVisited.place", ["answer"] = new JsonArray(new JsonObject { ["valueString"] = place.Place }) },
                            new JsonObject { ["linkId"] = "placesVisited.date", ["answer"] = new JsonArray(new JsonObject { ["valueDate"] = Date(place.Date) }) }),
                    });
                }

                continue;
            }

            var answers = Answers(question, payload, declaration.WardCode, url).ToList();
            if (answers.Count > 0)
            {
                items.Add(new JsonObject { ["linkId"] = question.Id, ["text"] = question.Text.Vi, ["answer"] = new JsonArray([.. answers]) });
            }
        }

        return new JsonObject
        {
            ["resourceType"] = "QuestionnaireResponse",
            ["id"] = declaration.Id.ToString(CultureInfo.InvariantCulture),
            ["questionnaire"] = $"{url}|{questionnaire.Version}",
            ["status"] = "completed",
            ["authored"] = declaration.At.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
            ["item"] = items,
        };
    }

    private static IEnumerable<JsonNode> Answers(Question question, DeclarationPayload payload, string wardCode, string url)
    {
        JsonNode Value(string type, JsonNode? value) => new JsonObject { [type] = value };

        switch (question.Id)
        {
            case "fullName": yield return Value("valueString", payload.FullName); yield break;
            case "birthYear": yield return Value("valueInteger", payload.BirthYear); yield break;
            case "phone": yield return Value("valueString", payload.Phone); yield break;
            case "wardCode": yield return Value("valueString", wardCode); yield break;
            case "address" when payload.Address is not null: yield return Value("valueString", payload.Address); yield break;
            case "citizenId" when payload.CitizenId is not null: yield return Value("valueString", DeclarationPayload.Mask(payload.CitizenId)); yield break;
            case "chronicConditions" when payload.ChronicConditions is not null: yield return Value("valueString", payload.ChronicConditions); yield break;
            case "gender" or "symptoms" or "exposures":
                IEnumerable<string> codes = question.Id switch
                {
                    "gender" => payload.Gender is null ? [] : [payload.Gender],
                    "symptoms" => payload.Symptoms,
                    _ => payload.Exposures,
                };
                foreach (var code in codes)
                {
                    if (question.Options?.FirstOrDefault(o => o.Code == code) is { } option)
                    {
                        yield return Value("valueCoding", Coding(url, question.Id, option));
                    }
                }

                yield break;
        }

        if (question.BuiltIn || !payload.Answers.TryGetValue(question.Id, out var answer))
        {
            yield break;
        }

        switch (question.Type)
        {
            case "integer": yield return Value("valueInteger", answer.GetInt64()); break;
            case "boolean": yield return Value("valueBoolean", answer.GetBoolean()); break;
            case "date": yield return Value("valueDate", answer.GetString()); break;
            case "choice" or "multi-choice":
                foreach (var code in answer.ValueKind == JsonValueKind.Array ? answer.EnumerateArray().Select(a => a.GetString()) : [answer.GetString()])
                {
                    if (question.Options?.FirstOrDefault(o => o.Code == code) is { } option)
                    {
                        yield return Value("valueCoding", Coding(url, question.Id, option));
                    }
                }

                break;
            default: yield return Value("valueString", answer.GetString()); break;
        }
    }

    private static JsonObject Coding(string url, string questionId, AnswerOption option) =>
        new() { ["system"] = $"{url}/{questionId}", ["code"] = option.Code, ["display"] = option.Text.Vi };

    private static JsonObject English(string text) => new()
    {
        ["extension"] = new JsonArray(new JsonObject
        {
            ["url"] = Translation,
            ["extension"] = new JsonArray(
                new JsonObject { ["url"] = "lang", ["valueCode"] = "en" },
                new JsonObject { ["url"] = "content", ["valueString"] = text }),
        }),
    };

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
