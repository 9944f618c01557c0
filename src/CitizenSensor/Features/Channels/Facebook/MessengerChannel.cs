using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CitizenSensor.Features.Reports.Webhooks;

namespace CitizenSensor.Features.Channels.Facebook;

/// <summary><c>Facebook</c>: the city's Facebook page, answering on Messenger. The channel is off until AppSecret is set.</summary>
public sealed class FacebookOptions
{
    /// <summary>The app secret: signs every webhook POST (X-Hub-Signature-256).</summary>
    public string? AppSecret { get; set; }

    /// <summary>The token Facebook echoes when it verifies the webhook (hub.verify_token).</summary>
    public string? VerifyToken { get; set; }

    /// <summary>The page access token for the Send API.</summary>
    public string? PageAccessToken { get; set; }

    /// <summary>The Graph API, with its version.</summary>
    public string GraphApiBase { get; set; } = "https://graph.facebook.com/v21.0";

    /// <summary>Fetch photo attachments from loopback/private addresses (tests only; Facebook's CDN is public).</summary>
    public bool AllowPrivateNetworks { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(AppSecret);
}

/// <summary>
/// Sends a report's status changes to the resident on Messenger through the Send API:
/// <c>POST {GraphApiBase}/me/messages?access_token=…</c> with the JSON body the outbox prepared.
/// </summary>
public sealed class MessengerChannel(FacebookOptions options, OutboxRecipients recipients) : IMessageChannel, IDisposable
{
    public string Kind => WebhookDelivery.Messenger;

    private readonly HttpClient _sendApi = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };

    /// <summary>Fetches the photos residents send (from Facebook's CDN), behind the same address guard as webhooks.</summary>
    public HttpClient PhotoClient { get; } = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, token) => NetworkGuard.ConnectAsync(context.DnsEndPoint, options.AllowPrivateNetworks, token),
    })
    {
        Timeout = TimeSpan.FromSeconds(20),
    };

    public async Task<SendOutcome> SendAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var psid = await recipients.AddressAsync(delivery.Url, cancellationToken);
        if (psid is null)
        {
            return SendOutcome.Failure("The resident's Messenger id was erased (the report's retention ended) before this message went out; not sent.", final: true);
        }

        return await SendOutcome.OverHttpAsync(_sendApi, Build(delivery.Payload, psid), IsFinal, cancellationToken);
    }

    /// <summary>The Send API request: the outbox's body, addressed to the resident's page-scoped id (opened only now).</summary>
    private HttpRequestMessage Build(string payload, string psid)
    {
        var body = JsonNode.Parse(payload)!.AsObject();
        body["recipient"] = new JsonObject { ["id"] = psid };
        return new(HttpMethod.Post, $"{options.GraphApiBase.TrimEnd('/')}/me/messages?access_token={Uri.EscapeDataString(options.PageAccessToken ?? "")}")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
    }

    /// <summary>Graph API errors other than throttling and server trouble do not go away by retrying.</summary>
    private static bool IsFinal(HttpStatusCode status) => (int)status is >= 400 and < 500 && status != HttpStatusCode.TooManyRequests;

    public void Dispose()
    {
        _sendApi.Dispose();
        PhotoClient.Dispose();
    }
}
