using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace CitizenSensor.Tests.Infrastructure;

/// <summary>What a malformed request must get.</summary>
internal enum Expect
{
    /// <summary>A 4xx, and no table gains or loses a row.</summary>
    Refused,

    /// <summary>No 5xx, and no table gains or loses a row (reads; webhooks that must answer 200 to what they ignore).</summary>
    NothingStored,

    /// <summary>No 5xx (unknown extra fields, dates at the ends of the calendar: a request may legitimately succeed).</summary>
    NoServerError,
}

/// <summary>One malformed request: what it is called in a failure, how to build it, and what it must get.</summary>
internal sealed record MalformedCase(string Name, Func<HttpRequestMessage> Build, Expect Expect);

/// <summary>A field of a request body or a parameter as the OpenAPI document describes it.</summary>
internal sealed record InputField(string Name, string Type, string? Format, bool Required, bool Nullable = false)
{
    public bool IsText => Type == "string" && Format is null or "email" or "uri";

    public bool IsNumber => Type is "integer" or "number";

    public bool IsDate => Format is "date-time" or "date";
}

/// <summary>
/// The catalogue of malformed input (issue 14): bodies that are not JSON or of the wrong JSON type, each field of the
/// wrong type or missing, unknown extra fields, huge and deeply nested values, control and invisible characters,
/// extreme numbers and dates; and the same hostile values in path and query parameters.
/// </summary>
internal static class MalformedInputs
{
    public const string Nul = "Quán nhậu\0 mở nhạc rất to";
    public const string Escape = "Quán nhậu \u001b[31m mở nhạc \u0007 rất to";
    public const string ZeroWidth = "\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b";

    public static readonly string Huge = new('x', 2 * 1024 * 1024);

    /// <summary>JSON arrays nested 1,000 deep (System.Text.Json refuses to build them, so they go in as text).</summary>
    private static readonly string Deep = new string('[', 1000) + new string(']', 1000);

    private const string DeepMarker = "\u0001deep\u0001";

    /// <summary>Numbers no field of this portal can hold, as JSON numbers and as the strings web JSON also reads.</summary>
    public static readonly string[] ExtremeNumbers = ["1e308", "-1e308", "9999999999999999999999", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e400\""];

    /// <summary>Values for a path or query parameter; none of them names anything the portal holds.</summary>
    public static readonly string[] HostileParameters =
    [
        "\0", "a\u0007b", ZeroWidth, new string('9', 10_000), "9999999999999999999999", "1e308", "-1e308", "NaN", "-1",
        "0001-01-01", "9999-12-31T23:59:59Z", "not a date", "[]", "{\"a\":1}", "../../etc/passwd", "%00", "' OR 1=1 --",
    ];

    /// <summary>The cases for a JSON body, built around <paramref name="sample"/>, a body the operation accepts.</summary>
    public static IEnumerable<MalformedCase> JsonBody(HttpMethod method, string url, IReadOnlyList<InputField> fields, JsonObject sample)
    {
        HttpRequestMessage Raw(string body, string mediaType = "application/json") =>
            new(method, url) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        HttpRequestMessage With(Action<JsonObject> change)
        {
            var body = (JsonObject)sample.DeepClone();
            change(body);
            return Raw(body.ToJsonString().Replace($"\"{DeepMarker}\"", Deep, StringComparison.Ordinal));
        }

        yield return new("body not JSON", () => Raw("description=quán nhậu&address={"), Expect.Refused);
        yield return new("body is plain text", () => Raw("quán nhậu mở nhạc", "text/plain"), Expect.Refused);
        yield return new("empty body", () => Raw(""), Expect.Refused);
        yield return new("no body and no content type", () => new HttpRequestMessage(method, url), Expect.Refused);
        yield return new("body without a content type", () => new HttpRequestMessage(method, url) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(sample.ToJsonString())) }, Expect.Refused);
        foreach (var wrong in new[] { "[]", "[{}]", "42", "\"text\"", "null", "true" })
        {
            yield return new($"body is the JSON {wrong}", () => Raw(wrong), Expect.Refused);
        }

        yield return new("JSON nested 1,000 deep", () => Raw(Deep), Expect.Refused);
        if (fields.Any(f => f.Required))
        {
            yield return new("empty object", () => Raw("{}"), Expect.Refused);
        }

        yield return new("unknown extra fields", () => With(b => { b["unexpected"] = new JsonObject { ["deep"] = new JsonArray(1, "x") }; b["__proto__"] = "x"; }), Expect.NoServerError);
        foreach (var field in fields)
        {
            foreach (var c in FieldCases(field, With))
            {
                yield return c;
            }
        }
    }

    private static IEnumerable<MalformedCase> FieldCases(InputField field, Func<Action<JsonObject>, HttpRequestMessage> with)
    {
        var name = field.Name;
        foreach (var wrong in WrongTypes(field))
        {
            yield return new($"{name} of the wrong type ({wrong})", () => with(b => b[name] = JsonNode.Parse(wrong)), Expect.Refused);
        }

        if (field.Required)
        {
            // The document marks every parameter of a positional record required; a nullable one may be left out.
            yield return new($"{name} missing", () => with(b => b.Remove(name)), field.Nullable ? Expect.NoServerError : Expect.Refused);
        }

        yield return new($"{name} nested 1,000 deep", () => with(b => b[name] = DeepMarker), Expect.Refused);
        if (field.Type == "string")
        {
            yield return new($"{name} of 2 MB", () => with(b => b[name] = Huge), Expect.Refused);
            yield return new($"{name} with NUL", () => with(b => b[name] = Nul), Expect.Refused);
            yield return new($"{name} with control characters", () => with(b => b[name] = Escape), Expect.Refused);
            yield return new($"{name} of only zero-width spaces", () => with(b => b[name] = ZeroWidth), field.Required ? Expect.Refused : Expect.NoServerError);
        }

        if (field.IsNumber)
        {
            foreach (var extreme in ExtremeNumbers)
            {
                yield return new($"{name} = {extreme}", () => with(b => b[name] = JsonNode.Parse(extreme)), Expect.Refused);
            }
        }

        if (field.IsDate)
        {
            yield return new($"{name} = \"not a date\"", () => with(b => b[name] = "not a date"), Expect.Refused);
            yield return new($"{name} = 0001-01-01", () => with(b => b[name] = "0001-01-01T00:00:00Z"), Expect.NoServerError);
            yield return new($"{name} = 9999-12-31T23:59:59Z", () => with(b => b[name] = "9999-12-31T23:59:59Z"), Expect.NoServerError);
        }
    }

    /// <summary>JSON values of a type the field does not have (a string field given a number, an object, an array…).</summary>
    private static IEnumerable<string> WrongTypes(InputField field) => field.Type switch
    {
        "string" when field.IsDate => ["12345", "{}", "[]", "true"],
        "string" => ["12345", "{}", "[\"a\"]", "true"],
        "integer" or "number" => ["\"abc\"", "{}", "[1]", "true", "\"12abc\""],
        "boolean" => ["\"maybe\"", "2", "{}", "[]"],
        "array" => ["\"a\"", "42", "{}"],
        "object" => ["\"a\"", "42", "[]"],
        _ => [],
    };

    /// <summary>The cases for a form body (multipart or URL-encoded), built around <paramref name="sample"/>.</summary>
    public static IEnumerable<MalformedCase> FormBody(HttpMethod method, string url, IReadOnlyList<InputField> fields, IReadOnlyDictionary<string, string> sample, bool multipart)
    {
        HttpRequestMessage With(Action<Dictionary<string, string>> change)
        {
            var form = new Dictionary<string, string>(sample);
            change(form);
            return new HttpRequestMessage(method, url) { Content = Form(form, multipart) };
        }

        yield return new("empty form", () => With(f => f.Clear()), Expect.Refused);
        yield return new("JSON where a form is expected", () => new HttpRequestMessage(method, url) { Content = new StringContent("{\"description\": 1}", Encoding.UTF8, "application/json") }, Expect.Refused);
        yield return new("unknown extra fields", () => With(f => f["unexpected"] = "x"), Expect.NoServerError);
        foreach (var field in fields.Where(f => f.Type != "array" && f.Format != "binary"))
        {
            var name = field.Name;
            yield return new($"{name} with NUL", () => With(f => f[name] = Nul), Expect.Refused);
            yield return new($"{name} with control characters", () => With(f => f[name] = Escape), Expect.Refused);
            yield return new($"{name} of 2 MB", () => With(f => f[name] = Huge), Expect.Refused);
            yield return new($"{name} of only zero-width spaces", () => With(f => f[name] = ZeroWidth), field.Required ? Expect.Refused : Expect.NoServerError);
            if (field.Required)
            {
                yield return new($"{name} missing", () => With(f => f.Remove(name)), Expect.Refused);
            }

            foreach (var wrong in field.Type switch { "boolean" => ["maybe", "2"], "integer" or "number" => ["abc", .. ExtremeNumbers.Select(n => n.Trim('"'))], _ => Array.Empty<string>() })
            {
                yield return new($"{name} = {wrong}", () => With(f => f[name] = wrong), Expect.Refused);
            }
        }
    }

    public static HttpContent Form(IReadOnlyDictionary<string, string> fields, bool multipart)
    {
        if (!multipart)
        {
            return new FormUrlEncodedContent(fields);
        }

        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        return content;
    }

    /// <summary>A body the schema allows, for operations without a hand-written sample: its required fields with plain values.</summary>
    public static JsonObject SampleFromSchema(IReadOnlyList<InputField> fields)
    {
        var body = new JsonObject();
        foreach (var field in fields.Where(f => f.Required))
        {
            body[field.Name] = field switch
            {
                { IsDate: true } => "2021-08-20T01:00:00Z",
                { IsNumber: true } => 1,
                { Type: "boolean" } => false,
                { Type: "array" } => new JsonArray(),
                { Type: "object" } => new JsonObject(),
                _ => "Phường Bến Nghé",
            };
        }

        return body;
    }

    public static string Describe(string value) =>
        value.Length > 100 ? $"{value.Length:N0} characters" : string.Concat(value.Select(c => char.IsControl(c) || c == '\u200b' ? $"\\u{(int)c:x4}" : c.ToString(CultureInfo.InvariantCulture)));
}
