using System.Security.Claims;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CitizenSensor.Features.Reports;

public sealed record CategoryDefinition(
    string Code, string Name, string NameVi, string NameEn, int ForwardWithinMinutes, int ResolveWithinMinutes, int SortOrder, bool Active, bool UsedByClassifier);

/// <summary>A new category. Its code is permanent (other systems keep it); everything else can be edited later.</summary>
public sealed record NewCategory(string? Code, string? NameVi, string? NameEn, int? ForwardWithinMinutes, int? ResolveWithinMinutes, int? SortOrder);

/// <summary>An edit: only the fields given change.</summary>
public sealed record CategoryEdit(string? NameVi, string? NameEn, int? ForwardWithinMinutes, int? ResolveWithinMinutes, int? SortOrder, bool? Active);

/// <summary>
/// The categories over HTTP: the public reads them (the form's choices, Open311 services); Admin changes them through
/// <see cref="CategoryAdmin"/>, which holds the rules.
/// </summary>
public static class CategoriesApi
{
    public static IEndpointRouteBuilder MapCategoriesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/categories", ListPublic).WithTags("Reports").WithSummary("The categories a report can have, with their deadlines");
        var admin = routes.MapGroup("/api/v1/staff/categories").WithTags("Categories (admin)").RequireAuthorization();
        admin.MapGet("/", ListAll).WithSummary("Every category, retired ones included (Admin)");
        admin.MapPost("/", Create).WithSummary("Add a category (Admin; its code is permanent)");
        admin.MapPut("/{code}", Edit).WithSummary("Rename a category, change its deadlines or order, retire or restore it (Admin)");
        return routes;
    }

    internal static async Task<Ok<List<CategoryDefinition>>> ListPublic(CategoryAdmin categories, CancellationToken cancellationToken) =>
        TypedResults.Ok(await categories.ListAsync(activeOnly: true, cancellationToken));

    internal static async Task<Results<Ok<List<CategoryDefinition>>, ProblemHttpResult>> ListAll(CategoryAdmin categories, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        CategoryAdmin.MayManage(StaffActor.From(user))
            ? TypedResults.Ok(await categories.ListAsync(activeOnly: false, cancellationToken))
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not permitted");

    internal static async Task<Results<Created<CategoryDefinition>, ProblemHttpResult, ValidationProblem>> Create(NewCategory request, CategoryAdmin categories, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await categories.CreateAsync(StaffActor.From(user), request, cancellationToken))
        .ToApi(c => TypedResults.Created($"/api/v1/staff/categories/{c.Code}", c), "The category cannot be added");

    internal static async Task<Results<Ok<CategoryDefinition>, ProblemHttpResult, ValidationProblem>> Edit(string code, CategoryEdit request, CategoryAdmin categories, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await categories.EditAsync(StaffActor.From(user), code, request, cancellationToken)).ToApi(TypedResults.Ok, "The category cannot be changed");
}
