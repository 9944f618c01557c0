using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CitizenSensor.Features.Channels.Open311;

public sealed record NewOpen311Key([property: Required, MinLength(2), MaxLength(Open311Keys.MaxName)] string Name);

/// <summary>Admin issues an API key per Open311 client, lists the clients and revokes keys. Every change is audited.</summary>
public static class Open311KeysApi
{
    public static IEndpointRouteBuilder MapOpen311Keys(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/open311/keys").WithTags("Open311 GeoReport v2").RequireAuthorization(p => p.RequireRole(StaffRoles.Admin));
        group.MapPost("/", Issue).WithSummary("Issue an API key for a client; the key is shown only in this answer");
        group.MapGet("/", List).WithSummary("The clients and their key hints");
        group.MapDelete("/{id:int}", Revoke).WithSummary("Revoke a client's key");
        return routes;
    }

    internal static async Task<Results<Created<IssuedOpen311Key>, ValidationProblem>> Issue(NewOpen311Key request, Open311Keys keys, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        PlainText.Check("name", request.Name, errors);
        if (errors.Count == 0 && !Open311Keys.IsValidName(request.Name))
        {
            errors["name"] = [$"'name' must be 2 to {Open311Keys.MaxName} characters besides surrounding spaces."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The key cannot be issued");
        }

        var issued = await keys.IssueAsync(request.Name, user.FindFirstValue(ClaimTypes.Email) ?? "admin", cancellationToken);
        return TypedResults.Created($"/api/v1/open311/keys/{issued.Id}", issued);
    }

    internal static async Task<Ok<List<Open311ClientView>>> List(Open311Keys keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(await keys.ListAsync(cancellationToken));

    internal static async Task<Results<Ok<Open311ClientView>, ProblemHttpResult>> Revoke(int id, Open311Keys keys, CancellationToken cancellationToken)
    {
        var revoked = await keys.RevokeAsync(id, cancellationToken);
        return revoked is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Client not found", detail: $"There is no Open311 client {id}.")
            : TypedResults.Ok(revoked);
    }
}
