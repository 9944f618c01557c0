using Microsoft.AspNetCore.Http.HttpResults;

namespace CitizenSensor.Infrastructure;

/// <summary>
/// What became of a request a domain service was asked to carry out. Services return it and never an HTTP answer;
/// the API endpoint and the page handler each turn it into their own (<see cref="OutcomeAnswers"/>).
/// </summary>
public abstract record Outcome<T>
{
    /// <summary>Carried out and saved with its audit entry.</summary>
    public sealed record Done(T Value) : Outcome<T>;

    /// <summary>Nothing of that name in the actor's units (the same answer as for one that does not exist).</summary>
    public sealed record NotFound(string Message) : Outcome<T>;

    /// <summary>The actor's role may not do this, anywhere.</summary>
    public sealed record Forbidden(string Message) : Outcome<T>;

    /// <summary>The thing's state does not allow it (a duplicate, something in use).</summary>
    public sealed record Conflict(string Message) : Outcome<T>;

    /// <summary>The request itself is wrong; messages by field.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Outcome<T>;
}

/// <summary>Builds outcomes without naming the result type twice.</summary>
public static class Outcome
{
    public static Outcome<T> Done<T>(T value) => new Outcome<T>.Done(value);

    public static Outcome<T> Invalid<T>(IReadOnlyDictionary<string, string[]> errors) => new Outcome<T>.Invalid(errors);

    public static Outcome<T> Invalid<T>(string field, string message) => new Outcome<T>.Invalid(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>The two doors' answers to an outcome: ProblemDetails for API clients, a message and a status for pages.</summary>
public static class OutcomeAnswers
{
    /// <summary>The API's answer: <paramref name="done"/> for a success, else 404, 403, 409 or 400 with ProblemDetails.</summary>
    public static Results<TDone, ProblemHttpResult, ValidationProblem> ToApi<T, TDone>(this Outcome<T> outcome, Func<T, TDone> done, string refusedTitle)
        where TDone : IResult => outcome switch
        {
            Outcome<T>.Done d => done(d.Value),
            Outcome<T>.NotFound n => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: n.Message),
            Outcome<T>.Forbidden f => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not permitted", detail: f.Message),
            Outcome<T>.Conflict c => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: refusedTitle, detail: c.Message),
            Outcome<T>.Invalid i => TypedResults.ValidationProblem(i.Errors, title: refusedTitle),
            _ => throw new InvalidOperationException($"Unknown outcome {outcome.GetType().Name}."),
        };

    /// <summary>For a page: false when the request was carried out; else the message to show and the status to answer with.</summary>
    public static bool IsRefused<T>(this Outcome<T> outcome, out string message, out int status)
    {
        (message, status) = outcome switch
        {
            Outcome<T>.NotFound n => (n.Message, StatusCodes.Status404NotFound),
            Outcome<T>.Forbidden f => (f.Message, StatusCodes.Status403Forbidden),
            Outcome<T>.Conflict c => (c.Message, StatusCodes.Status409Conflict),
            Outcome<T>.Invalid i => (string.Join(" ", i.Errors.SelectMany(e => e.Value)), StatusCodes.Status400BadRequest),
            _ => ("", StatusCodes.Status200OK),
        };
        return outcome is not Outcome<T>.Done;
    }
}
