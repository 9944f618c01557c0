using Microsoft.AspNetCore.Diagnostics;

namespace CitizenSensor.Infrastructure;

/// <summary>
/// Every error leaves as application/problem+json, with the request's trace id; except for people: a browser's request
/// for a page gets the error page in the site's layout and language (<see cref="ErrorPages"/>).
/// </summary>
public static class ErrorHandling
{
    public static IServiceCollection AddErrorHandling(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Let binding failures (malformed JSON, wrong types) reach the handler below, which says what was wrong.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    public static WebApplication UseErrorHandling(this WebApplication app)
    {
        // The page is drawn by running the rest of the pipeline again for /error, so it is in the request's language.
        app.UseWhen(ErrorPages.WantsPage, browser =>
        {
            browser.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = ErrorPages.Path,
                StatusCodeSelector = exception => BadRequestStatus(exception) ?? StatusCodes.Status500InternalServerError,
            });
            browser.UseStatusCodePagesWithReExecute(ErrorPages.Path + "/{0}");
        });
        app.UseWhen(context => !ErrorPages.WantsPage(context), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.Use(RefuseControlCharactersInUrl);
        return app;
    }

    /// <summary>
    /// A path or query value with a control character (NUL, a line break…) names nothing here and PostgreSQL text
    /// cannot even hold NUL: 400 before any endpoint looks it up (the status page writes the body in the right format).
    /// </summary>
    private static Task RefuseControlCharactersInUrl(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var reExecuted = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null; // the error page keeps the query
        if (!reExecuted && (HasControl(request.Path.Value) || (request.QueryString.HasValue && request.Query.Any(q => HasControl(q.Key) || q.Value.Any(HasControl)))))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        }

        return next(context);

        static bool HasControl(string? text) => text is not null && text.AsSpan().ContainsAnyInRange('\u0000', '\u001f');
    }

    /// <summary>
    /// The 4xx for what the client sent wrong: the framework's BadHttpRequestException, and a form body its readers
    /// refuse (a value with %00 in it, too many values), which they throw as InvalidDataException; null for the rest.
    /// </summary>
    public static int? BadRequestStatus(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        InvalidDataException when exception.TargetSite?.DeclaringType?.Namespace == "Microsoft.AspNetCore.WebUtilities" => StatusCodes.Status400BadRequest,
        _ => null,
    };

    /// <summary>
    /// Turns the framework's BadHttpRequestException (malformed JSON, oversized body, wrong content type)
    /// into a 4xx ProblemDetails that names the problem; anything else stays a 500 without internals.
    /// </summary>
    private sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (BadRequestStatus(exception) is not { } status || ErrorPages.WantsPage(httpContext))
            {
                return false;
            }

            httpContext.Response.StatusCode = status;
            var detail = exception.InnerException is System.Text.Json.JsonException json
                ? $"The request body is not valid JSON: {json.Message}"
                : exception is InvalidDataException ? $"The form body cannot be read: {exception.Message}" : exception.Message;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails =
                {
                    Status = status,
                    Title = status == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request",
                    Detail = detail,
                },
            });
        }
    }
}
