namespace CitizenSensor.Infrastructure;

/// <summary>Conservative browser security headers on every response.</summary>
public static class SecurityHeaders
{
    /// <summary>Only the portal's own resources, and the basemap's tiles from their server (<see cref="BaseMap"/>).</summary>
    public static string ContentSecurityPolicy(BaseMap map) =>
        $"default-src 'self'; img-src 'self' data: blob:{(map.Origin is { } tiles and not "'self'" ? " " + tiles : "")}; style-src 'self'; script-src 'self'; " +
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var policy = ContentSecurityPolicy(app.ApplicationServices.GetRequiredService<BaseMap>());
        return app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";

            // The API reference UI (Scalar) runs inline scripts of its own; everything we write does not.
            if (!context.Request.Path.StartsWithSegments("/scalar"))
            {
                headers.ContentSecurityPolicy = policy;
            }

            return next(context);
        });
    }
}
