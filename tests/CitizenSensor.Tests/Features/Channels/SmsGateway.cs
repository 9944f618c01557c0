using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CitizenSensor.Tests.Features.Channels;

/// <summary>
/// A local stand-in for the city's SMS gateway that holds the platform to the contract of docs/sms.md: a Standard
/// Webhooks signature over <c>{webhook-id}.{webhook-timestamp}.{body}</c> (401 when missing, forged, or more than five
/// minutes from the gateway's clock); a JSON body with a 32-hex id, an E.164 Vietnamese number, a brandname of at most
/// 11 characters, a text of 1 to 1,000 characters and the encoding it needs (422 otherwise); a retry of an id already
/// taken answered 200 and not sent twice. Everything it refused is kept, so a test can show nothing was.
/// </summary>
public sealed partial class SmsGateway : IAsyncDisposable
{
    public const string Secret = "whsec_c21zLWdhdGV3YXktc2VjcmV0LWZvci10ZXN0cw==";

    private readonly WebApplication _app;
    private readonly Func<DateTimeOffset> _clock;
    private readonly Queue<int> _answers = new();
    private readonly List<Message> _accepted = [];
    private readonly List<string> _refused = [];
    private readonly System.Threading.Channels.Channel<Message> _arrived = System.Threading.Channels.Channel.CreateUnbounded<Message>();

    private SmsGateway(WebApplication app, Func<DateTimeOffset> clock) => (_app, _clock) = (app, clock);

    public sealed record Message(string Id, string To, string Sender, string Text, string Encoding);

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<string> Refused { get { lock (_accepted) { return [.. _refused]; } } }

    public IReadOnlyList<Message> Accepted { get { lock (_accepted) { return [.. _accepted]; } } }

    /// <summary>Starts on a loopback port; <paramref name="clock"/> is the gateway's "now" (the app's clock in tests).</summary>
    public static async Task<SmsGateway> StartAsync(Func<DateTimeOffset> clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var gateway = new SmsGateway(app, clock);
        app.MapPost("/v1/messages", (Func<HttpContext, Task<IResult>>)gateway.ReceiveAsync);
        await app.StartAsync();
        gateway.Url = new Uri(new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "/v1/messages");
        return gateway;
    }

    /// <summary>The next requests that pass the contract are answered with these statuses (then 202 again), as a gateway in trouble would.</summary>
    public void AnswerNext(params int[] statuses)
    {
        lock (_answers)
        {
            foreach (var status in statuses)
            {
                _answers.Enqueue(status);
            }
        }
    }

    /// <summary>The next message accepted, waiting at most 20 s (bounded; not a timing assertion).</summary>
    public async Task<Message> NextAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        return await _arrived.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>True when no message is accepted within the wait.</summary>
    public async Task<bool> NothingWithinAsync(TimeSpan wait)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            await _arrived.Reader.WaitToReadAsync(timeout.Token);
            return false;
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return true;
        }
    }

    private async Task<IResult> ReceiveAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var (id, stamp, signature) = (http.Request.Headers["webhook-id"].ToString(), http.Request.Headers["webhook-timestamp"].ToString(), http.Request.Headers["webhook-signature"].ToString());
        if (!long.TryParse(stamp, out var seconds) || Math.Abs((_clock() - DateTimeOffset.FromUnixTimeSeconds(seconds)).TotalMinutes) > 5)
        {
            return Refuse(401, $"timestamp '{stamp}' missing or not within 5 minutes");
        }

        var expected = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(Secret["whsec_".Length..]), Encoding.UTF8.GetBytes($"{id}.{stamp}.{body}")));
        if (id.Length == 0 || !signature.Split(' ').Any(s => s.StartsWith("v1,", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), Encoding.ASCII.GetBytes(expected))))
        {
            return Refuse(401, "signature missing or wrong");
        }

        if (!http.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) ?? true)
        {
            return Refuse(415, "not JSON");
        }

        Message? message;
        try
        {
            message = JsonSerializer.Deserialize<Message>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return Refuse(400, "malformed JSON");
        }

        if (Problem(message) is { } problem)
        {
            return Refuse(422, problem);
        }

        lock (_answers)
        {
            if (_answers.TryDequeue(out var status))
            {
                return Results.StatusCode(status);
            }
        }

        lock (_accepted)
        {
            if (_accepted.Any(m => m.Id == message!.Id))
            {
                return Results.Ok(new { id = message!.Id, duplicate = true });
            }

            _accepted.Add(message!);
        }

        await _arrived.Writer.WriteAsync(message!);
        return Results.Json(new { id = message!.Id, segments = Segments(message) }, statusCode: 202);
    }

    private static string? Problem(Message? m) =>
        m is null ? "no body"
        : !HexId().IsMatch(m.Id ?? "") ? $"id '{m.Id}' is not 32 hex digits"
        : !E164().IsMatch(m.To ?? "") ? $"to '{m.To}' is not an E.164 Vietnamese number"
        : string.IsNullOrEmpty(m.Sender) || m.Sender.Length > 11 ? "sender is 1 to 11 characters (a brandname)"
        : string.IsNullOrWhiteSpace(m.Text) || m.Text.Length > 1000 ? "text is 1 to 1000 characters"
        : m.Encoding is not ("gsm7" or "ucs2") ? $"encoding '{m.Encoding}' is gsm7 or ucs2"
        : m.Encoding == "gsm7" && m.Text.Any(c => c > 0x7F && !"£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà".Contains(c)) ? "gsm7 text with characters outside GSM 03.38"
        : null;

    private static int Segments(Message m) => m.Encoding == "ucs2" ? (m.Text.Length <= 70 ? 1 : (m.Text.Length + 66) / 67) : (m.Text.Length <= 160 ? 1 : (m.Text.Length + 152) / 153);

    private IResult Refuse(int status, string why)
    {
        lock (_accepted)
        {
            _refused.Add(why);
        }

        return Results.Problem(why, statusCode: status);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex HexId();

    [GeneratedRegex(@"^\+84[1-9][0-9]{8,9}$")]
    private static partial Regex E164();
}
