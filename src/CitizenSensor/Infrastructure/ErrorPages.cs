using Microsoft.Net.Http.Headers;

namespace CitizenSensor.Infrastructure;

/// <summary>
/// Who gets an error as a page: a request that prefers HTML (a browser) outside the machine paths. Everyone else,
/// API clients and scripts, keeps the problem+json answer (Open311 its own format).
/// </summary>
public static class ErrorPages
{
    /// <summary>The error page: <c>/error</c> after an exception, <c>/error/404</c> for a status.</summary>
    public const string Path = "/error";

    private static readonly string[] MachinePaths = ["/api", "/open311", "/channels", "/openapi", "/scalar", "/healthz"];

    public static bool WantsPage(HttpContext context)
    {
        var request = context.Request;
        if (MachinePaths.Any(path => request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return false;
        }

        // A browser's "text/html,…,*/*;q=0.8" asks for HTML first; fetch's "*/*" and "application/json" do not.
        double html = 0, json = 0;
        foreach (var type in accepted)
        {
            var quality = type.Quality ?? 1;
            if (type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase))
            {
                html = Math.Max(html, quality);
            }
            else if (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("application/problem+json", StringComparison.OrdinalIgnoreCase))
            {
                json = Math.Max(json, quality);
            }
        }

        return html > 0 && html >= json;
    }
}
