using System.Security.Cryptography;
using System.Text;

namespace CitizenSensor.Features.Reports.Webhooks;

/// <summary>
/// Signs a delivery as the Standard Webhooks specification says (standardwebhooks.com): HMAC-SHA256, keyed with the
/// base64 part of the <c>whsec_</c> secret, over <c>{webhook-id}.{webhook-timestamp}.{body}</c>, sent as
/// <c>webhook-signature: v1,{base64}</c>. Receivers can use any Standard Webhooks library to verify it.
/// </summary>
public static class WebhookSignature
{
    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(WebhookRules.SecretPrefix, StringComparison.Ordinal) ? secret[WebhookRules.SecretPrefix.Length..] : secret);
        var signed = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }
}
