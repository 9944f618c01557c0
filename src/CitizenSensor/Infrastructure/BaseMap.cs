namespace CitizenSensor.Infrastructure;

/// <summary>
/// <c>Map</c>: the street basemap every map draws under the city's own boundaries and reports, from a tile server
/// (XYZ template). The default is OpenStreetMap's standard tiles, fit for a connected server with little traffic
/// (their usage policy asks busy sites to host their own: docs/operations.md). An empty <see cref="TileUrl"/> draws no
/// basemap; a browser that cannot load the tiles falls back to the boundaries alone.
/// </summary>
public sealed class BaseMapOptions
{
    public string TileUrl { get; set; } = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

    /// <summary>The credit the tile source requires, shown on every map (plain text; © and names).</summary>
    public string Attribution { get; set; } = "© OpenStreetMap contributors";

    public int MaxZoom { get; set; } = 19;

    /// <summary>What fills <c>{s}</c> in the template, when it has one ("abc" for a.tile…, b.tile…, c.tile…).</summary>
    public string Subdomains { get; set; } = "abc";
}

/// <summary>The configured basemap, checked once at start-up, for the pages and the security headers.</summary>
public sealed class BaseMap
{
    public BaseMap(BaseMapOptions options)
    {
        var url = options.TileUrl?.Trim() ?? "";
        if (url.Length > 0)
        {
            Origin = OriginOf(url) ?? throw new InvalidOperationException(
                $"Map:TileUrl '{url}' is not an http(s) tile template such as https://tile.example.org/{{z}}/{{x}}/{{y}}.png (docs/operations.md).");
        }

        if (options.MaxZoom is < 1 or > 22)
        {
            throw new InvalidOperationException($"Map:MaxZoom {options.MaxZoom} is not between 1 and 22.");
        }

        TileUrl = url.Length > 0 ? url : null;
        Attribution = PlainText.Shorten(options.Attribution?.Trim() ?? "", 300);
        MaxZoom = options.MaxZoom;
        Subdomains = new string([.. (options.Subdomains ?? "").Where(char.IsAsciiLetterOrDigit)]);
    }

    /// <summary>The tile template, or null for boundaries only.</summary>
    public string? TileUrl { get; }

    public string Attribution { get; }

    public int MaxZoom { get; }

    public string Subdomains { get; }

    /// <summary>The tile server's origin for the Content-Security-Policy's <c>img-src</c> ("https://*.tile.example.org" for a <c>{s}</c> host), or null.</summary>
    public string? Origin { get; }

    /// <summary>
    /// "https://a.tile.example.org:8080" of a template; a <c>{s}</c> host part becomes a wildcard; null when the
    /// template is not an absolute http(s) address (a relative one, served by the portal itself, needs no origin: 'self').
    /// </summary>
    public static string? OriginOf(string template)
    {
        if (template.StartsWith('/') && !template.StartsWith("//", StringComparison.Ordinal))
        {
            return "'self'";
        }

        var probe = template.Replace("{s}", "s", StringComparison.Ordinal).Replace("{z}", "0", StringComparison.Ordinal)
            .Replace("{x}", "0", StringComparison.Ordinal).Replace("{y}", "0", StringComparison.Ordinal).Replace("{r}", "", StringComparison.Ordinal);
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || probe.IndexOfAny(['{', '}', ' ', '\'', ';', ',']) >= 0)
        {
            return null;
        }

        var authority = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        var schemeEnd = template.IndexOf("://", StringComparison.Ordinal) + 3;
        if (template.AsSpan(schemeEnd).StartsWith("{s}."))
        {
            authority = "*" + authority[1..];
        }

        return $"{uri.Scheme}://{authority}";
    }

    public static void AddBaseMap(WebApplicationBuilder builder) =>
        builder.Services.AddSingleton(new BaseMap(builder.Configuration.GetSection("Map").Get<BaseMapOptions>() ?? new BaseMapOptions()));
}
