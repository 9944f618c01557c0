using System.Net;
using System.Text;
using System.Text.Json;
using CitizenSensor.Features.Reports.Webhooks;
using CitizenSensor.Infrastructure;

namespace CitizenSensor.Features.Channels.Sms;

/// <summary>
/// <c>Sms</c>: the city's SMS gateway (a brandname provider, or the operator's own bridge), reached over HTTP. The
/// channel is off until both the gateway's URL and the shared secret are set. The request is documented in docs/sms.md.
/// </summary>
public sealed class SmsOptions
{
    /// <summary>Where messages are POSTed, for example <c>https://sms.example.vn/v1/messages</c>.</summary>
    public string? GatewayUrl { get; set; }

    /// <summary>The Standard Webhooks secret (<c>whsec_</c> and base64) the gateway verifies each request with.</summary>
    public string? Secret { get; set; }

    /// <summary>The brandname the message comes from, as registered with the operators.</summary>
    public string Sender { get; set; } = "1022";

    /// <summary>Allow a gateway on a loopback or private address (a bridge in the city's own network, or the tests' stand-in).</summary>
    public bool AllowPrivateNetworks { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(GatewayUrl) && !string.IsNullOrWhiteSpace(Secret);
}

/// <summary>The body the gateway receives: the message id (the same on every retry), the number in E.164, the sender, the text and how it must be encoded.</summary>
public sealed record SmsRequest(string Id, string To, string Sender, string Text, string Encoding);

/// <summary>
/// Sends the outbox's text messages to the SMS gateway: <c>POST {GatewayUrl}</c> with an <see cref="SmsRequest"/>,
/// signed as Standard Webhooks are (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>), so a
/// gateway can verify it with any Standard Webhooks library and drop a retry it has already taken by its id. The phone
/// is opened from its seal only now. 2xx is delivered; 408, 429 and 5xx are tried again; any other answer is final.
/// </summary>
public sealed class SmsChannel(SmsOptions options, OutboxRecipients recipients, TimeProvider time) : IMessageChannel, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _gateway = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, token) => NetworkGuard.ConnectAsync(context.DnsEndPoint, options.AllowPrivateNetworks, token),
    })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };

    public string Kind => WebhookDelivery.Sms;

    public async Task<SendOutcome> SendAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var phone = await recipients.AddressAsync(delivery.Url, cancellationToken);
        if (phone is null || PhoneNumbers.Normalize(phone) is null)
        {
            return SendOutcome.Failure("The phone number was erased (its retention ended) before this message went out; not sent.", final: true);
        }

        var text = JsonSerializer.Deserialize<SmsPayload>(delivery.Payload, Json)!.Text;
        var body = JsonSerializer.Serialize(new SmsRequest(delivery.MessageId.ToString("N"), PhoneNumbers.ToE164(phone), options.Sender, text, EncodingOf(text)), Json);
        var id = "msg_" + delivery.MessageId.ToString("N");
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, options.GatewayUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(options.Secret!, id, timestamp, body));
        return await SendOutcome.OverHttpAsync(_gateway, request, IsFinal, cancellationToken);
    }

    /// <summary><c>gsm7</c> when every character is in the GSM 03.38 basic set (160 per segment); otherwise <c>ucs2</c> (70), as Vietnamese with its marks is.</summary>
    public static string EncodingOf(string text) => text.All(c => Gsm7.Contains(c)) ? "gsm7" : "ucs2";

    private const string Gsm7 = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private static bool IsFinal(HttpStatusCode status) => (int)status is >= 400 and < 500 && status is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);

    public void Dispose() => _gateway.Dispose();
}
