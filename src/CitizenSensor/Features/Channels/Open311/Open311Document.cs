using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using CitizenSensor.Infrastructure;

namespace CitizenSensor.Features.Channels.Open311;

/// <summary>
/// What an Open311 answer holds, independent of its format: the same tree is written as XML (mandatory in
/// GeoReport v2) or JSON. An object is a sequence of named fields (XML elements in that order); a list is written
/// as repeated elements named after its items in XML and as an array in JSON.
/// </summary>
public abstract record Open311Node;

public sealed record Open311Value(object? Value) : Open311Node;

public sealed record Open311Object(IReadOnlyList<KeyValuePair<string, Open311Node>> Fields) : Open311Node
{
    public static Open311Object Of(params (string Name, object? Value)[] fields) =>
        new([.. fields.Select(f => KeyValuePair.Create(f.Name, f.Value as Open311Node ?? new Open311Value(f.Value)))]);
}

public sealed record Open311List(string ItemName, IReadOnlyList<Open311Node> Items) : Open311Node;

/// <summary>Writes Open311 answers and errors in the format the client asked for by the resource's extension.</summary>
public static class Open311Document
{
    public const string Xml = "xml";
    public const string Json = "json";

    /// <summary>W3C date-time with the city's offset, as the specification requires (e.g. 2021-08-20T08:00:00+07:00).</summary>
    public static string Date(DateTimeOffset instant) => CityTime.ToLocal(instant).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static bool IsKnownFormat(string? format) => format is Xml or Json;

    /// <summary>
    /// The format of an answer written outside a resource's handler (an error): the path's extension, else the
    /// Accept header (JSON only when it asks for JSON and not XML), else XML, the specification's mandatory format.
    /// </summary>
    public static string FormatOf(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return Json;
        }

        if (path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
        {
            return Xml;
        }

        var accept = http.Request.Headers.Accept.ToString();
        return accept.Contains("json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("xml", StringComparison.OrdinalIgnoreCase) ? Json : Xml;
    }

    public static IResult Answer(string format, string root, Open311Node body, int status = StatusCodes.Status200OK) =>
        format == Json
            ? Results.Text(WriteJson(body), "application/json; charset=utf-8", Encoding.UTF8, status)
            : Results.Text(WriteXml(root, body), "text/xml; charset=utf-8", Encoding.UTF8, status);

    /// <summary>An Open311 error body (<c>&lt;errors&gt;&lt;error&gt;&lt;code/&gt;&lt;description/&gt;</c>, or the JSON array).</summary>
    public static IResult Error(string? format, int status, params string[] descriptions) =>
        Answer(format == Json ? Json : Xml, "errors",
            new Open311List("error", [.. descriptions.Select(d => Open311Object.Of(("code", status), ("description", d)))]), status);

    private static string WriteJson(Open311Node node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteJson(writer, node);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteJson(Utf8JsonWriter writer, Open311Node node)
    {
        switch (node)
        {
            case Open311Object obj:
                writer.WriteStartObject();
                foreach (var (name, value) in obj.Fields)
                {
                    writer.WritePropertyName(name);
                    WriteJson(writer, value);
                }

                writer.WriteEndObject();
                break;
            case Open311List list:
                writer.WriteStartArray();
                foreach (var item in list.Items)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            case Open311Value { Value: null }:
                writer.WriteNullValue();
                break;
            case Open311Value { Value: bool b }:
                writer.WriteBooleanValue(b);
                break;
            case Open311Value { Value: int i }:
                writer.WriteNumberValue(i);
                break;
            case Open311Value { Value: double d }:
                writer.WriteNumberValue(d);
                break;
            case Open311Value { Value: DateTimeOffset at }:
                writer.WriteStringValue(Date(at));
                break;
            case Open311Value { Value: var other }:
                writer.WriteStringValue(Convert.ToString(other, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string WriteXml(string root, Open311Node node)
    {
        var builder = new StringBuilder();
        using (var writer = XmlWriter.Create(new Utf8StringWriter(builder), new XmlWriterSettings { Encoding = Encoding.UTF8, Indent = false }))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement(root);
            WriteXmlContent(writer, node);
            writer.WriteEndElement();
        }

        return builder.ToString();
    }

    private static void WriteXmlContent(XmlWriter writer, Open311Node node)
    {
        switch (node)
        {
            case Open311Object obj:
                foreach (var (name, value) in obj.Fields)
                {
                    writer.WriteStartElement(name);
                    WriteXmlContent(writer, value);
                    writer.WriteEndElement();
                }

                break;
            case Open311List list:
                foreach (var item in list.Items)
                {
                    writer.WriteStartElement(list.ItemName);
                    WriteXmlContent(writer, item);
                    writer.WriteEndElement();
                }

                break;
            case Open311Value { Value: null }:
                break;
            case Open311Value { Value: bool b }:
                writer.WriteString(b ? "true" : "false");
                break;
            case Open311Value { Value: DateTimeOffset at }:
                writer.WriteString(Date(at));
                break;
            case Open311Value { Value: var other }:
                writer.WriteString(XmlText(Convert.ToString(other, CultureInfo.InvariantCulture)));
                break;
        }
    }

    /// <summary>
    /// The text with the characters XML 1.0 cannot carry (NUL, BEL, escape… quoted back from a request path such as
    /// <c>requests.%07</c>) replaced by U+FFFD, so that an answer is never a 500 from the XML writer.
    /// </summary>
    private static string? XmlText(string? text)
    {
        if (text is null || text.All(XmlConvert.IsXmlChar))
        {
            return text;
        }

        var safe = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                safe.Append(text, i++, 2);
            }
            else
            {
                safe.Append(XmlConvert.IsXmlChar(text[i]) ? text[i] : '\uFFFD');
            }
        }

        return safe.ToString();
    }

    /// <summary>So that the XML declaration says UTF-8, as the specification requires.</summary>
    private sealed class Utf8StringWriter(StringBuilder builder) : StringWriter(builder, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => Encoding.UTF8;
    }
}
