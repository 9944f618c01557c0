using System.Net;
using System.Security.Cryptography;

namespace CitizenSensor.Features.Reports.Webhooks;

/// <summary>What a webhook URL may be, checked at submission so that the app learns at once.</summary>
public static class WebhookRules
{
    public const string SecretPrefix = "whsec_";

    /// <summary>Refuses what is wrong on its face; names are checked when they are resolved, at each delivery.</summary>
    public static void Validate(string? url, WebhookOptions options, Dictionary<string, string[]> errors)
    {
        if (url is null)
        {
            return;
        }

        string? problem = null;
        if (url.Length > WebhookDelivery.MaxUrl || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            problem = $"'webhookUrl' must be an absolute URL of at most {WebhookDelivery.MaxUrl} characters.";
        }
        else if (uri.Scheme != Uri.UriSchemeHttps && !(options.AllowHttp && uri.Scheme == Uri.UriSchemeHttp))
        {
            problem = options.AllowHttp ? "'webhookUrl' must use https or http." : "'webhookUrl' must use https.";
        }
        else if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            problem = "'webhookUrl' must not contain a user name, password or fragment.";
        }
        else if (!options.AllowPrivateNetworks && IPAddress.TryParse(uri.DnsSafeHost, out var ip) && !NetworkGuard.IsPublic(ip))
        {
            problem = "'webhookUrl' points to a loopback, private or reserved address; webhooks go to public addresses.";
        }

        if (problem is not null)
        {
            errors["webhookUrl"] = [problem];
        }
    }

    /// <summary>A new signing secret in the Standard Webhooks form (<c>whsec_</c> and 32 random bytes in base64).</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
