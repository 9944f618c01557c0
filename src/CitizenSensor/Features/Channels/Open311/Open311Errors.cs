using System.Text.RegularExpressions;
using CitizenSensor.Infrastructure;

namespace CitizenSensor.Features.Channels.Open311;

/// <summary>
/// Every error under <c>/open311</c> is an Open311 error body, whoever raises it (no route: 404, wrong method: 405, a
/// body too large: 413, the framework's 415, a rate limiter's 429, an exception's 500): the error handling writes
/// ProblemDetails through <see cref="IProblemDetailsService"/>, and this writer, asked first, takes the Open311 paths.
/// </summary>
public sealed class Open311ProblemWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => Open311Paths.IsOpen311(context.HttpContext.Request.Path);

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var status = context.ProblemDetails.Status ?? http.Response.StatusCode;
        // The framework's titles are generic ("Not Found"); the path tells a client what was not there.
        var description = context.ProblemDetails.Detail
            ?? (status == StatusCodes.Status404NotFound ? $"Not found: {PlainText.Shorten(http.Request.Path.Value ?? "", 100)}"
                : status == StatusCodes.Status405MethodNotAllowed ? $"Method {http.Request.Method} is not allowed on this resource."
                : context.ProblemDetails.Title ?? "Error");
        await Open311Document.Error(Open311Document.FormatOf(http), status, description).ExecuteAsync(http);
    }
}

/// <summary>The paths under <c>/open311</c>, and a doubled slash in them tolerated (clients join the discovery URL and a resource).</summary>
public static partial class Open311Paths
{
    public static bool IsOpen311(PathString path) => path.StartsWithSegments("/open311", StringComparison.OrdinalIgnoreCase);

    /// <summary>"/open311/v2//services.xml" is "/open311/v2/services.xml"; other paths are left alone.</summary>
    public static PathString Normalize(PathString path) =>
        IsOpen311(path) && path.Value!.Contains("//", StringComparison.Ordinal) ? new PathString(Slashes().Replace(path.Value, "/")) : path;

    [GeneratedRegex("/{2,}")]
    private static partial Regex Slashes();
}

/// <summary>Collapses doubled slashes under /open311 before anything else runs (routing included).</summary>
internal sealed class Open311PathFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Request.Path = Open311Paths.Normalize(context.Request.Path);
            return nextMiddleware(context);
        });
        next(app);
    };
}
