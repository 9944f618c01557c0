using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CitizenSensor.Features.Channels.Facebook;

/// <summary>One message a resident sent the page: text, photo URLs and a shared location.</summary>
public sealed record MessengerIncoming(string Psid, string Mid, string? Text, IReadOnlyList<string> ImageUrls, double? Lat, double? Lng);

/// <summary>
/// The Messenger webhook (developers.facebook.com/docs/messenger-platform/webhooks): Facebook verifies it with a
/// GET, then POSTs the page's messages, each signed with X-Hub-Signature-256 = HMAC-SHA256 of the raw body keyed with
/// the app secret. A bad or missing signature is a 401 and nothing is read, let alone stored.
/// </summary>
public static class MessengerWebhookApi
{
    public const string Path = "/channels/facebook/webhook";
    public const string SignatureHeader = "X-Hub-Signature-256";

    /// <summary>Longer photo links are skipped: the draft keeps a few of them in a bounded column.</summary>
    public const int MaxImageUrl = 1500;

    public static IEndpointRouteBuilder MapMessengerWebhook(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Path).WithTags("Channels");
        group.MapGet("/", Verify).WithSummary("Facebook's verification of the webhook (hub.mode, hub.verify_token, hub.challenge)");
        group.MapPost("/", Receive).DisableAntiforgery().WithSummary("Messages to the page, signed with X-Hub-Signature-256");
        return routes;
    }

    internal static IResult Verify(HttpContext http, FacebookOptions options)
    {
        if (!options.Enabled)
        {
            return Off();
        }

        var query = http.Request.Query;
        var token = query["hub.verify_token"].ToString();
        var expected = options.VerifyToken ?? "";
        var tokenMatches = expected.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(expected));
        return query["hub.mode"] == "subscribe" && tokenMatches
            ? Results.Text(query["hub.challenge"].ToString(), "text/plain")
            : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Verification failed", detail: "hub.mode must be 'subscribe' and hub.verify_token must match the configured token.");
    }

    internal static async Task<IResult> Receive(HttpContext http, FacebookOptions options, MessengerConversations conversations, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            return Off();
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        if (!SignatureMatches(http.Request.Headers[SignatureHeader].ToString(), body, options.AppSecret!))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Bad signature",
                detail: $"{SignatureHeader} is missing or is not the HMAC-SHA256 of the body with the app secret.");
        }

        List<MessengerIncoming> messages;
        try
        {
            messages = Parse(body);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a Messenger webhook event", detail: ex.Message);
        }

        foreach (var message in messages)
        {
            await conversations.HandleAsync(message, cancellationToken);
        }

        return Results.Text("EVENT_RECEIVED", "text/plain");
    }

    /// <summary>Compares in constant time; the header is <c>sha256=</c> and the lower-case hex digest.</summary>
    public static bool SignatureMatches(string header, byte[] body, string secret)
    {
        const string prefix = "sha256=";
        if (!header.StartsWith(prefix, StringComparison.Ordinal) || header.Length != prefix.Length + 64)
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    /// <summary>The messages in a page event; echoes of the page's own messages, deliveries and reads are skipped.</summary>
    private static List<MessengerIncoming> Parse(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var result = new List<MessengerIncoming>();
        if (root.GetProperty("object").GetString() != "page")
        {
            return result;
        }

        foreach (var entry in root.GetProperty("entry").EnumerateArray())
        {
            if (!entry.TryGetProperty("messaging", out var messaging))
            {
                continue;
            }

            foreach (var item in messaging.EnumerateArray())
            {
                if (!item.TryGetProperty("message", out var message) || (message.TryGetProperty("is_echo", out var echo) && echo.GetBoolean()))
                {
                    continue;
                }

                var psid = Identifier(item.GetProperty("sender"), "id", 64);
                var mid = Identifier(message, "mid", 200);
                // Facebook's text is what the resident typed; stray control characters (NUL…) are dropped, not stored.
                var text = message.TryGetProperty("text", out var t) ? Infrastructure.PlainText.WithoutControlCharacters(t.GetString()) : null;
                var images = new List<string>();
                double? lat = null, lng = null;
                if (message.TryGetProperty("attachments", out var attachments))
                {
                    foreach (var attachment in attachments.EnumerateArray())
                    {
                        var type = attachment.GetProperty("type").GetString();
                        var payload = attachment.GetProperty("payload");
                        if (type == "image" && payload.TryGetProperty("url", out var url) && url.GetString() is { Length: > 0 and <= MaxImageUrl } link)
                        {
                            images.Add(link);
                        }
                        else if (type == "location" && payload.TryGetProperty("coordinates", out var coordinates))
                        {
                            (lat, lng) = (coordinates.GetProperty("lat").GetDouble(), coordinates.GetProperty("long").GetDouble());
                            if (!(Math.Abs(lat.Value) <= 90 && Math.Abs(lng.Value) <= 180))
                            {
                                (lat, lng) = (null, null); // not a place on Earth (1e308, NaN): the message is kept without it
                            }
                        }
                    }
                }

                result.Add(new MessengerIncoming(psid, mid, text, images, lat, lng));
            }
        }

        return result;
    }

    /// <summary>An id Facebook always sends: a string, not empty and not longer than the column that keeps it.</summary>
    private static string Identifier(JsonElement parent, string name, int max) =>
        parent.GetProperty(name).GetString() is { Length: > 0 } id && id.Length <= max && !id.Any(char.IsControl)
            ? id
            : throw new FormatException($"'{name}' must be a string of 1 to {max} characters.");

    private static IResult Off() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "The Facebook channel is off", detail: "Set Facebook:AppSecret to turn it on.");

    internal static string Coordinates(double lat, double lng) => string.Create(CultureInfo.InvariantCulture, $"{lat:0.######}, {lng:0.######}");
}
