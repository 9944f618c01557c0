using System.Net;

namespace CitizenSensor.Features.Reports.Webhooks;

/// <summary>
/// A channel that carries a report's status changes back to the resident (Messenger, e-mail). Its messages sit in the
/// same outbox as the webhooks and are sent, retried and given up by <see cref="WebhookSender"/>.
/// </summary>
public interface IMessageChannel
{
    /// <summary>The <see cref="WebhookDelivery.Kind"/> this channel sends.</summary>
    string Kind { get; }

    /// <summary>Sends one message; the delivery's fields are not changed here.</summary>
    Task<SendOutcome> SendAsync(WebhookDelivery delivery, CancellationToken cancellationToken);
}

/// <summary>How one attempt went: delivered, or failed with a reason and whether retrying could help.</summary>
public sealed record SendOutcome(bool Delivered, int? StatusCode, string? Error, bool Final)
{
    public static SendOutcome Success(int? statusCode = null) => new(true, statusCode, null, false);

    public static SendOutcome Failure(string error, bool final, int? statusCode = null) => new(false, statusCode, error, final);

    /// <summary>Sends an HTTP request and says how it went; <paramref name="isFinal"/> picks the answers not worth retrying.</summary>
    public static async Task<SendOutcome> OverHttpAsync(HttpClient client, HttpRequestMessage request, Func<HttpStatusCode, bool> isFinal, CancellationToken cancellationToken)
    {
        using var _ = request;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? Success(status)
                : Failure($"HTTP {status} {response.ReasonPhrase}", isFinal(response.StatusCode), status);
        }
        catch (HttpRequestException ex) when (ex.InnerException is WebhookRefusedException refused)
        {
            return Failure(refused.Message, final: true);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Failure(ex is TaskCanceledException ? $"No answer within {client.Timeout.TotalSeconds:0} s." : ex.InnerException?.Message ?? ex.Message, final: false);
        }
    }
}
