using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CitizenSensor.Features.Channels.Open311;

public sealed record NewOpen311Key([property: Required, MinLength(2), MaxLength(Open311Keys.MaxName)] string Name);

/// <summary>Admin issues an API key per Open311 client, lists the clients and revokes keys; the rules are <see cref="Open311Keys"/>'.</summary>
public static class Open311KeysApi
{
    public static IEndpointRouteBuilder MapOpen311Keys(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/open311/keys").WithTags("Open311 GeoReport v2").RequireAuthorization();
        group.MapPost("/", Issue).WithSummary("Issue an API key for a client; the key is shown only in this answer");
        group.MapGet("/", List).WithSummary("The clients and their key hints");
        group.MapDelete("/{id:int}", Revoke).WithSummary("Revoke a client's key");
        return routes;
    }

    internal static async Task<Results<Created<IssuedOpen311Key>, ProblemHttpResult, ValidationProblem>> Issue(NewOpen311Key request, Open311Keys keys, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await keys.IssueAsync(StaffActor.From(user), request.Name, cancellationToken))
        .ToApi(issued => TypedResults.Created($"/api/v1/open311/keys/{issued.Id}", issued), "The key cannot be issued");

    internal static async Task<Results<Ok<List<Open311ClientView>>, ProblemHttpResult, ValidationProblem>> List(Open311Keys keys, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await keys.ListAsync(StaffActor.From(user), cancellationToken)).ToApi(TypedResults.Ok, "The clients cannot be listed");

    internal static async Task<Results<Ok<Open311ClientView>, ProblemHttpResult, ValidationProblem>> Revoke(int id, Open311Keys keys, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await keys.RevokeAsync(StaffActor.From(user), id, cancellationToken)).ToApi(TypedResults.Ok, "The key cannot be revoked");
}
