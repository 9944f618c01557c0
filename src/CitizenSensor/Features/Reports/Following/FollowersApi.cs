using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CitizenSensor.Features.Reports.Following;

public sealed record FollowRequest(string? Email);

/// <summary>
/// <c>POST /api/v1/reports/{code}/followers</c>: the app's door to following a report by e-mail, with the same rules as
/// the tracking page's (<see cref="ReportFollowing"/>), rate limited per client address by the ASP.NET Core limiter.
/// </summary>
public static class FollowersApi
{
    public static RouteHandlerBuilder MapFollowers(this RouteGroupBuilder group) =>
        group.MapPost("/{code}/followers", Follow).RequireRateLimiting(PublicLimits.Following).DisableAntiforgery()
            .WithSummary("Follow a report by e-mail: a confirmation message goes to the address; updates follow once it is confirmed (202 either way)");

    internal static async Task<Results<Accepted, ProblemHttpResult, ValidationProblem>> Follow(string code, FollowRequest request, ReportFollowing following, CancellationToken cancellationToken) =>
        (await following.RequestAsync(code, request.Email, cancellationToken)).ToApi(c => TypedResults.Accepted($"/api/v1/reports/{c}"), "The report cannot be followed");
}
