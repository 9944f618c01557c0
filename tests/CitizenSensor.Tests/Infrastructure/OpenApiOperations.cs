using System.Text.Json;
using System.Text.Json.Nodes;

namespace CitizenSensor.Tests.Infrastructure;

/// <summary>An operation of the OpenAPI document: its method, path template, parameters and body fields.</summary>
internal sealed record OpenApiOperation(HttpMethod Method, string Path, IReadOnlyList<(InputField Field, string In)> Parameters, IReadOnlyList<InputField>? JsonFields, IReadOnlyList<InputField>? FormFields, bool Multipart)
{
    public string Key => $"{Method.Method} {Path}";

    public bool HasBody => JsonFields is not null;

    /// <summary>The URL with every path parameter given a plain value, and one parameter replaced when asked.</summary>
    public string Url(string? name = null, string? value = null)
    {
        var path = Path;
        var query = new List<string>();
        foreach (var (field, where) in Parameters)
        {
            var given = field.Name == name ? Uri.EscapeDataString(value!) : Plain(field);
            if (where == "header")
            {
                continue;
            }

            if (where == "path")
            {
                path = path.Replace("{" + field.Name + "}", given, StringComparison.Ordinal);
            }
            else if (field.Name == name)
            {
                query.Add($"{Uri.EscapeDataString(field.Name)}={given}");
            }
        }

        return query.Count == 0 ? path : path + "?" + string.Join("&", query);
    }

    private static string Plain(InputField field) => field switch
    {
        { Name: "format" } => "json",
        { IsNumber: true } => "1",
        { Format: "uuid" } => "0f8fad5b-d9cb-469f-a165-70867728950e",
        _ => "x",
    };
}

/// <summary>Reads the operations of the portal's OpenAPI document and builds the catalogue's cases for each.</summary>
internal sealed class OpenApiOperations(JsonElement document)
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    public static (HttpMethod Method, string Path) Split(string key) => (new HttpMethod(key[..key.IndexOf(' ', StringComparison.Ordinal)]), key[(key.IndexOf(' ', StringComparison.Ordinal) + 1)..]);

    public IEnumerable<OpenApiOperation> All()
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in Methods)
            {
                if (path.Value.TryGetProperty(method, out var operation))
                {
                    yield return Read(new HttpMethod(method.ToUpperInvariant()), path.Name, operation);
                }
            }
        }
    }

    private OpenApiOperation Read(HttpMethod method, string path, JsonElement operation)
    {
        var parameters = new List<(InputField, string)>();
        if (operation.TryGetProperty("parameters", out var list))
        {
            foreach (var p in list.EnumerateArray().Select(Resolve))
            {
                var (type, format) = TypeOf(p.TryGetProperty("schema", out var s) ? s : default);
                var required = p.TryGetProperty("required", out var r) && r.GetBoolean();
                parameters.Add((new InputField(p.GetProperty("name").GetString()!, type, format, required), p.GetProperty("in").GetString()!));
            }
        }

        IReadOnlyList<InputField>? json = null, form = null;
        var multipart = false;
        if (operation.TryGetProperty("requestBody", out var body) && Resolve(body).TryGetProperty("content", out var content))
        {
            foreach (var media in content.EnumerateObject())
            {
                var fields = media.Value.TryGetProperty("schema", out var schema) ? Fields(schema) : [];
                if (media.Name.Contains("json", StringComparison.Ordinal))
                {
                    json = fields;
                }
                else if (media.Name.Contains("form", StringComparison.Ordinal))
                {
                    (form, multipart) = (fields, media.Name.StartsWith("multipart", StringComparison.Ordinal));
                }
            }
        }

        return new OpenApiOperation(method, path, parameters, json, form, multipart);
    }

    /// <summary>Every case for the operation: its body's and each of its parameters'.</summary>
    public static IEnumerable<MalformedCase> Cases(OpenApiOperation operation, JsonObject? sample)
    {
        var url = operation.Url();
        var read = operation.Method == HttpMethod.Get;
        if (operation.JsonFields is { } json)
        {
            foreach (var c in MalformedInputs.JsonBody(operation.Method, url, json, sample ?? MalformedInputs.SampleFromSchema(json)))
            {
                yield return c;
            }
        }

        if (operation.FormFields is { } form)
        {
            var formSample = (sample ?? MalformedInputs.SampleFromSchema(form)).ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "");
            foreach (var c in MalformedInputs.FormBody(operation.Method, url, form, formSample, operation.Multipart))
            {
                yield return c with { Name = (operation.Multipart ? "multipart: " : "form: ") + c.Name };
            }
        }

        foreach (var (field, where) in operation.Parameters)
        {
            foreach (var value in MalformedInputs.HostileParameters)
            {
                var name = $"{where} {field.Name} = {MalformedInputs.Describe(value)}";
                if (where == "header" && value.Any(c => char.IsControl(c) || !char.IsAscii(c)))
                {
                    continue; // HTTP cannot carry control characters in a header, and the client refuses to send them
                }

                yield return new(name, () =>
                {
                    var request = new HttpRequestMessage(operation.Method, operation.Url(field.Name, value))
                    {
                        Content = operation.HasBody ? new StringContent((sample ?? []).ToJsonString(), System.Text.Encoding.UTF8, "application/json") : null,
                    };
                    if (where == "header")
                    {
                        request.Headers.TryAddWithoutValidation(field.Name, value);
                    }

                    return request;
                }, read ? Expect.NothingStored : where == "header" ? Expect.NoServerError : Expect.Refused); // a key header is any text
            }
        }
    }

    private List<InputField> Fields(JsonElement schema)
    {
        var resolved = Resolve(schema);
        if (!resolved.TryGetProperty("properties", out var properties))
        {
            return [];
        }

        var required = resolved.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!).ToHashSet() : [];
        var fields = new List<InputField>();
        foreach (var property in properties.EnumerateObject())
        {
            var (type, format) = TypeOf(property.Value);
            fields.Add(new InputField(property.Name, type, format, required.Contains(property.Name), IsNullable(property.Value)));
        }

        return fields;
    }

    private (string Type, string? Format) TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return ("string", null);
        }

        var s = Resolve(schema);
        var format = s.TryGetProperty("format", out var f) ? f.GetString() : null;
        if (s.TryGetProperty("type", out var type))
        {
            var name = type.ValueKind == JsonValueKind.Array
                ? type.EnumerateArray().Select(t => t.GetString()!).FirstOrDefault(t => t != "null") ?? "null"
                : type.GetString()!;
            return (name, format);
        }

        return (s.TryGetProperty("properties", out _) ? "object" : "unknown", format);
    }

    private bool IsNullable(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && (schema.GetRawText().Contains("\"null\"", StringComparison.Ordinal)
            || (schema.TryGetProperty("$ref", out _) && Resolve(schema).GetRawText().StartsWith("{\"type\":[\"null\"", StringComparison.Ordinal)));

    /// <summary>Follows <c>$ref</c> to the components, and a nullable <c>oneOf</c>/<c>anyOf</c> to its non-null member.</summary>
    private JsonElement Resolve(JsonElement schema)
    {
        while (true)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                var parts = reference.GetString()!.TrimStart('#', '/').Split('/');
                schema = parts.Aggregate(document, (node, part) => node.GetProperty(part));
            }
            else if ((schema.TryGetProperty("oneOf", out var choices) || schema.TryGetProperty("anyOf", out choices))
                && choices.EnumerateArray().FirstOrDefault(c => !(c.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null")) is { ValueKind: JsonValueKind.Object } member)
            {
                schema = member;
            }
            else
            {
                return schema;
            }
        }
    }
}
