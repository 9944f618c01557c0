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
                StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            });
            browser.UseStatusCodePagesWithReExecute(ErrorPages.Path + "/{0}");
        });
        app.UseWhen(context => !ErrorPages.WantsPage(context), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        return app;
    }

    /// <summary>
    /// Turns the framework's BadHttpRequestException (malformed JSON, oversized body, wrong content type)
    /// into a 4xx ProblemDetails that names the problem; anything else stays a 500 without internals.
    /// </summary>
    private sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad || ErrorPages.WantsPage(httpContext))
            {
                return false;
            }

            httpContext.Response.StatusCode = bad.StatusCode;
            var detail = bad.InnerException is System.Text.Json.JsonException json
                ? $"The request body is not valid JSON: {json.Message}"
                : bad.Message;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails =
                {
                    Status = bad.StatusCode,
                    Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request",
                    Detail = detail,
                },
            });
        }
    }
}
