using Microsoft.AspNetCore.HostFiltering;

namespace CitizenSensor.Infrastructure;

/// <summary>
/// The portal's public address (<c>Site:PublicBaseUrl</c>, e.g. https://1022.hochiminhcity.gov.vn), the only source of
/// the links the portal hands out: QR codes and posters, tracking links, e-mails, FHIR references. Never the request's
/// Host header, which anyone can set (<c>Host: evil.example</c> must not end up on a printed poster). Required outside
/// Development: the portal does not start without it. The older <c>Venues:PublicBaseUrl</c> and
/// <c>Email:PublicBaseUrl</c> are read when it is not set.
/// </summary>
public sealed class PublicSite
{
    /// <summary>Where <c>dotnet run</c> serves in Development (Properties/launchSettings.json).</summary>
    public const string DevelopmentUrl = "http://localhost:5000";

    private static readonly string[] Keys = ["Site:PublicBaseUrl", "Venues:PublicBaseUrl", "Email:PublicBaseUrl"];

    public PublicSite(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = Keys.Select(key => configuration[key]).FirstOrDefault(value => !string.IsNullOrWhiteSpace(value))?.Trim()
            ?? (environment.IsDevelopment() ? DevelopmentUrl : throw new InvalidOperationException(
                "Site:PublicBaseUrl is not set. Set it to the portal's public address as residents reach it (e.g. https://1022.hochiminhcity.gov.vn): "
                + "QR codes, posters, tracking links and e-mails are built from it, never from the request's Host header. See docs/operations.md."));
        if (!Uri.TryCreate(configured, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new InvalidOperationException($"Site:PublicBaseUrl '{configured}' is not an http(s) address without query or fragment.");
        }

        BaseUrl = configured.TrimEnd('/');
        Host = uri.Host;
    }

    /// <summary>The address without a trailing slash.</summary>
    public string BaseUrl { get; }

    public string Host { get; }

    public string Link(string path) => BaseUrl + (path.StartsWith('/') ? path : "/" + path);

    /// <summary>The site of this request's application (for endpoints that have the request at hand).</summary>
    public static PublicSite Of(HttpContext http) => http.RequestServices.GetRequiredService<PublicSite>();

    /// <summary>
    /// Registers the site and, outside Development when <c>AllowedHosts</c> is left at "*", answers only requests for the
    /// public host (and the local names a health check uses).
    /// </summary>
    public static void AddPublicSite(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PublicSite>();
        if (builder.Environment.IsDevelopment() || builder.Configuration["AllowedHosts"] is not (null or "*"))
        {
            return;
        }

        builder.Services.AddSingleton<Microsoft.Extensions.Options.IPostConfigureOptions<HostFilteringOptions>, AllowPublicHost>();
    }

    private sealed class AllowPublicHost(PublicSite site) : Microsoft.Extensions.Options.IPostConfigureOptions<HostFilteringOptions>
    {
        public void PostConfigure(string? name, HostFilteringOptions options) =>
            options.AllowedHosts = [site.Host, "localhost", "127.0.0.1", "[::1]"];
    }
}
