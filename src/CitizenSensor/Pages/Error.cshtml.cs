using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Pages;

/// <summary>
/// The error page people see (<see cref="Infrastructure.ErrorPages"/>): what happened in their language and a way back.
/// It never shows the exception; after a 500 it shows the request's id, which the log line of the failure carries.
/// </summary>
[IgnoreAntiforgeryToken] // a refused form post is drawn here as a post too
public sealed class ErrorModel : PageModel
{
    /// <summary>The kinds of answer the page words differently: the resource keys are Error{Kind}Title and Error{Kind}Text.</summary>
    public string Kind { get; private set; } = "NotFound";

    public int Status { get; private set; }

    /// <summary>The request id, shown after a server failure only.</summary>
    public string? RequestId { get; private set; }

    /// <summary>Where "sign in as someone else" returns to: the page that was refused.</summary>
    public string ReturnUrl { get; private set; } = "/";

    public void OnGet(int? status) => Show(status);

    public void OnPost(int? status) => Show(status);

    private void Show(int? status)
    {
        // Opened as /error/{status} by the status code pages, as /error by the exception handler (which set the status).
        Status = status ?? (Response.StatusCode >= 400 ? Response.StatusCode : StatusCodes.Status500InternalServerError);
        if (Status is < 400 or > 599)
        {
            Status = StatusCodes.Status404NotFound;
        }

        Kind = Status switch
        {
            StatusCodes.Status404NotFound or StatusCodes.Status410Gone => "NotFound",
            StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => "Forbidden",
            StatusCodes.Status429TooManyRequests => "TooMany",
            >= 500 => "Failed",
            _ => "Refused",
        };
        RequestId = Status >= 500 ? HttpContext.TraceIdentifier : null;
        var original = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is { } reExecuted
            ? reExecuted.OriginalPath + reExecuted.OriginalQueryString
            : HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path;
        ReturnUrl = Url.IsLocalUrl(original) ? original : "/";
        Response.StatusCode = Status;
    }
}
