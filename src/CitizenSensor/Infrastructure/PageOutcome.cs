using Microsoft.AspNetCore.Http.HttpResults;

namespace CitizenSensor.Infrastructure;

/// <summary>
/// For pages that call the API's handlers: turns a handler's refusal (a problem or a validation problem) into the
/// message the page shows and the status it answers with.
/// </summary>
public static class PageOutcome
{
    /// <summary>True when the result is a refusal; then the message and the HTTP status to answer with.</summary>
    public static bool IsProblem(IResult result, out string message, out int status)
    {
        switch (result)
        {
            case ProblemHttpResult { ProblemDetails: var problem }:
                (message, status) = (problem.Detail ?? problem.Title ?? "", problem.Status ?? StatusCodes.Status400BadRequest);
                return true;
            case ValidationProblem { ProblemDetails: var invalid }:
                (message, status) = (string.Join(" ", invalid.Errors.SelectMany(e => e.Value)), StatusCodes.Status400BadRequest);
                return true;
            default:
                (message, status) = ("", StatusCodes.Status200OK);
                return false;
        }
    }
}
