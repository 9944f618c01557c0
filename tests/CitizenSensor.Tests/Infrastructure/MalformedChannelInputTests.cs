using System.Net;
using System.Security.Cryptography;
using System.Text;
using CitizenSensor.Data;
using CitizenSensor.Features.Channels.Facebook;
using CitizenSensor.Tests.Features.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Infrastructure;

/// <summary>
/// The catalogue of malformed input (issue 14) in the channels' own shapes: Open311's form posts and query filters,
/// and the Messenger webhook, unsigned, wrongly signed, and correctly signed with bodies of the wrong shape.
/// </summary>
public sealed class MalformedChannelInputTests(MalformedInputCatalogueTests.CatalogueApp app) : IClassFixture<MalformedInputCatalogueTests.CatalogueApp>
{
    private const string Webhook = "/channels/facebook/webhook";

    private static readonly InputField[] Open311Fields =
    [
        new("api_key", "string", null, Required: true), new("service_code", "string", null, Required: true),
        new("description", "string", null, Required: false), new("address_string", "string", null, Required: false),
        new("lat", "number", null, Required: false), new("long", "number", null, Required: false),
        new("email", "string", null, Required: false), new("first_name", "string", null, Required: false),
        new("last_name", "string", null, Required: false), new("phone", "string", null, Required: false),
        new("jurisdiction_id", "string", null, Required: false),
    ];

    /// <summary>Fields of the specification this server reads nothing from (media_url only earns a notice): anything goes but a 5xx.</summary>
    private static readonly string[] IgnoredOpen311Fields = ["device_id", "account_id", "media_url"];

    private static readonly Dictionary<string, string[]> Open311Lists = new()
    {
        ["requests"] = ["start_date", "end_date", "status", "service_code", "service_request_id", "lat", "long", "jurisdiction_id", "api_key"],
        ["servicerequestupdates"] = ["start_date", "end_date", "api_key"],
        ["services"] = ["jurisdiction_id", "lang"],
    };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Open311_refuses_the_catalogue_in_its_forms_and_filters_and_stores_nothing()
    {
        var key = await app.IssueKeyAsync("Catalogue");
        var sample = new Dictionary<string, string>
        {
            ["api_key"] = key,
            ["service_code"] = "general",
            ["description"] = "Quán nhậu mở nhạc rất to cả đêm ở hẻm 12",
            ["address_string"] = "phường Bến Nghé, quận 1",
            ["lat"] = "10.7769",
            ["long"] = "106.7009",
        };
        var cases = new List<(string, MalformedCase)>();
        foreach (var format in new[] { "json", "xml" })
        {
            var url = $"/open311/v2/requests.{format}";
            cases.AddRange(MalformedInputs.FormBody(HttpMethod.Post, url, Open311Fields, sample, multipart: false).Select(c => ($"POST {url}", c)));
            foreach (var (field, value) in new[] { ("jurisdiction_id", "nowhere.example"), ("api_key", "not-a-key"), ("lat", "91"), ("long", "181"), ("service_code", "no-such-service") })
            {
                cases.Add(($"POST {url}", new($"{field} = {value}", () => Post(url, sample, field, value), Expect.Refused)));
            }

            foreach (var field in IgnoredOpen311Fields)
            {
                cases.AddRange(new[] { MalformedInputs.Nul, MalformedInputs.Escape, MalformedInputs.ZeroWidth, MalformedInputs.Huge }
                    .Select(value => ($"POST {url}", new MalformedCase($"{field} = {MalformedInputs.Describe(value)}", () => Post(url, sample, field, value), Expect.NoServerError))));
            }

            cases.Add(($"POST {url}", new("an attribute nobody defined", () => Post(url, sample, "attribute[nothing]", MalformedInputs.Nul), Expect.NoServerError)));
            cases.AddRange(Reads(format));
        }

        cases.Add(("POST /open311/v2/requests.exe", new("an unknown format", () => Post("/open311/v2/requests.exe", sample, "api_key", key), Expect.Refused)));
        var failures = await new CatalogueRunner(app).RunAsync(cases);

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases failed:\n" + string.Join("\n", failures.Take(80)));
        var accepted = await app.CreateClient().SendAsync(Post("/open311/v2/requests.json", sample, "api_key", key), Cancel);
        Assert.True(accepted.IsSuccessStatusCode, $"the sample got {(int)accepted.StatusCode}"); // so each case tests the one thing it changes
    }

    [Fact]
    public async Task The_messenger_webhook_refuses_bad_signatures_and_stores_nothing_from_events_of_the_wrong_shape()
    {
        var cases = new List<(string, MalformedCase)>();
        const string Event = """{"object":"page","entry":[{"id":"1022000000","time":1629421200000,"messaging":[{"sender":{"id":"PSID"},"recipient":{"id":"1022000000"},"timestamp":1629421200000,"message":MESSAGE}]}]}""";
        var message = Event.Replace("MESSAGE", """{"mid":"m1","text":"Quán nhậu mở nhạc rất to"}""", StringComparison.Ordinal);
        foreach (var (name, signature) in new[] { ("no signature", ""), ("another secret's signature", Sign(message, "another-secret")), ("a SHA-1 signature", "sha1=" + new string('0', 40)), ("a signature that is not hex", "sha256=" + new string('z', 64)), ("a signature of 2 MB", "sha256=" + new string('0', 20_000)) })
        {
            cases.Add(($"POST {Webhook}", new(name, () => Signed(message, signature), Expect.Refused)));
        }

        string[] shapes =
        [
            "not json", "[]", "42", "null", "{}", """{"object":"page"}""", """{"object":"user","entry":[]}""", """{"object":"page","entry":null}""",
            """{"object":"page","entry":[{}]}""", """{"object":"page","entry":[{"messaging":[{}]}]}""", """{"object":"page","entry":[{"messaging":"x"}]}""",
            Event.Replace("MESSAGE", "null", StringComparison.Ordinal), Event.Replace("MESSAGE", """{"mid":null}""", StringComparison.Ordinal),
            Event.Replace("MESSAGE", """{"mid":12,"text":["a"]}""", StringComparison.Ordinal), Event.Replace("MESSAGE", """{"mid":"m2","attachments":"x"}""", StringComparison.Ordinal),
            Event.Replace("\"PSID\"", "{\"nested\":" + new string('[', 1000) + new string(']', 1000) + "}", StringComparison.Ordinal),
        ];

        // Messages a resident could have sent (with an id): kept as messages, but the impossible place and time are not.
        string[] messages =
        [
            Event.Replace("MESSAGE", """{"mid":"m3","attachments":[{"type":"location","payload":{"coordinates":{"lat":1e308,"long":-1e308}}}]}""", StringComparison.Ordinal),
            Event.Replace("1629421200000,\"message", "\"not a date\",\"message", StringComparison.Ordinal).Replace("MESSAGE", """{"mid":"m4"}""", StringComparison.Ordinal),
        ];
        foreach (var (shape, i) in shapes.Select((s, i) => (s, i)))
        {
            cases.Add(($"POST {Webhook}", new($"signed shape {i}: {MalformedInputs.Describe(shape.Length > 90 ? shape[^90..] : shape)}", () => Signed(shape, Sign(shape, MalformedInputCatalogueTests.CatalogueApp.AppSecret)), Expect.NothingStored)));
        }

        cases.AddRange(messages.Select(m => ($"POST {Webhook}", new MalformedCase($"signed message {MalformedInputs.Describe(m[^90..])}", () => Signed(m, Sign(m, MalformedInputCatalogueTests.CatalogueApp.AppSecret)), Expect.NoServerError))));
        var huge = Event.Replace("MESSAGE", $"{{\"mid\":\"m5\",\"text\":\"{MalformedInputs.Huge}\"}}", StringComparison.Ordinal);
        cases.Add(($"POST {Webhook}", new("signed text of 2 MB", () => Signed(huge, Sign(huge, MalformedInputCatalogueTests.CatalogueApp.AppSecret)), Expect.Refused)));
        foreach (var value in MalformedInputs.HostileParameters)
        {
            cases.Add(($"GET {Webhook}", new($"hub.verify_token = {MalformedInputs.Describe(value)}", () => new HttpRequestMessage(HttpMethod.Get, $"{Webhook}?hub.mode=subscribe&hub.challenge={Uri.EscapeDataString(value)}&hub.verify_token={Uri.EscapeDataString(value)}"), Expect.Refused)));
        }

        var failures = await new CatalogueRunner(app).RunAsync(cases);

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases failed:\n" + string.Join("\n", failures.Take(80)));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
            Assert.False(await db.Set<MessengerConversation>().AnyAsync(c => c.DraftLat > 90 || c.DraftLat < -90 || c.DraftLng > 180 || c.DraftLng < -180, Cancel));
        }

        var accepted = await app.CreateClient().SendAsync(Signed(message, Sign(message, MalformedInputCatalogueTests.CatalogueApp.AppSecret)), Cancel);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode); // the well-formed event the signatures were made for
    }

    /// <summary>Open311's reads with each filter given each hostile value: no 5xx and no row written.</summary>
    private static IEnumerable<(string, MalformedCase)> Reads(string format)
    {
        foreach (var (list, filters) in Open311Lists)
        {
            foreach (var filter in filters)
            {
                foreach (var value in MalformedInputs.HostileParameters)
                {
                    var url = $"/open311/v2/{list}.{format}?{filter}={Uri.EscapeDataString(value)}";
                    yield return ($"GET /open311/v2/{list}.{format}", new($"{filter} = {MalformedInputs.Describe(value)}", () => new HttpRequestMessage(HttpMethod.Get, url), Expect.NothingStored));
                }
            }
        }

        foreach (var value in MalformedInputs.HostileParameters)
        {
            foreach (var resource in new[] { "requests", "tokens", "services" })
            {
                var url = $"/open311/v2/{resource}/{Uri.EscapeDataString(value)}.{format}";
                yield return ($"GET /open311/v2/{resource}/{{id}}.{format}", new($"id = {MalformedInputs.Describe(value)}", () => new HttpRequestMessage(HttpMethod.Get, url), Expect.NothingStored));
            }
        }
    }

    private static HttpRequestMessage Post(string url, Dictionary<string, string> sample, string field, string value) =>
        new(HttpMethod.Post, url) { Content = MalformedInputs.Form(new Dictionary<string, string>(sample) { [field] = value }, multipart: false) };

    private static HttpRequestMessage Signed(string body, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Webhook) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature.Length > 0)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        return request;
    }

    private static string Sign(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
