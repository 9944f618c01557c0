using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using CitizenSensor.Features.Staff;

namespace CitizenSensor.Tests.Features.Channels;

/// <summary>An Open311 client's side of the tests: form posts, XML and JSON answers, keys issued through the admin API.</summary>
internal static class Open311Client
{
    public static async Task<string> IssueKeyAsync(this CitizenApp app, string name = "Ứng dụng thử nghiệm")
    {
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var issued = await (await admin.PostAsJsonAsync("/api/v1/open311/keys", new { name }, TestContext.Current.CancellationToken)).ReadJsonAsync(HttpStatusCode.Created);
        return issued.Str("key");
    }

    public static async Task<HttpResponseMessage> PostRequestAsync(this HttpClient client, string format, IDictionary<string, string> fields)
    {
        using var form = new FormUrlEncodedContent(fields);
        return await client.PostAsync($"/open311/v2/requests.{format}", form, TestContext.Current.CancellationToken);
    }

    public static async Task<XElement> ReadXmlAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", body, StringComparison.OrdinalIgnoreCase);
        return XDocument.Parse(body).Root!;
    }

    /// <summary>Asserts an Open311 XML error body with the status, and returns the descriptions.</summary>
    public static async Task<List<string>> ReadXmlErrorsAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var root = await response.ReadXmlAsync(expected);
        Assert.Equal("errors", root.Name.LocalName);
        Assert.All(root.Elements("error"), e => Assert.Equal(((int)expected).ToString(System.Globalization.CultureInfo.InvariantCulture), e.Element("code")!.Value));
        return [.. root.Elements("error").Select(e => e.Element("description")!.Value)];
    }

    /// <summary>Asserts an Open311 JSON error array with the status, and returns the descriptions.</summary>
    public static async Task<List<string>> ReadJsonErrorsAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var errors = await response.ReadJsonAsync(expected);
        Assert.Equal(JsonValueKind.Array, errors.ValueKind);
        Assert.All(errors.EnumerateArray(), e => Assert.Equal((int)expected, e.GetProperty("code").GetInt32()));
        return [.. errors.EnumerateArray().Select(e => e.Str("description"))];
    }
}
