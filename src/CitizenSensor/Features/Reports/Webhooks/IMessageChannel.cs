using System.Net;

namespace CitizenSensor.Features.Reports.Webhooks;

/// <summary>
/// A channel that carries a report's status changes back to the resident (Messenger; later e-mail). Its messages sit
/// in the same outbox as the webhooks and are sent, retried and given up by <see cref="WebhookSender"/>.
/// </summary>
public interface IMessageChannel
{
    /// <summary>The <see cref="WebhookDelivery.Kind"/> this channel sends.</summary>
    string Kind { get; }

    HttpClient Client { get; }

    HttpRequestMessage Build(WebhookDelivery delivery);

    /// <summary>Whether an answer with this status means that retrying cannot help.</summary>
    bool IsFinal(HttpStatusCode status);
}
