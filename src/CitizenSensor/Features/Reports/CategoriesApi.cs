using System.Text.RegularExpressions;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

public sealed record CategoryDefinition(
    string Code, string Name, string NameVi, string NameEn, int ForwardWithinMinutes, int ResolveWithinMinutes, int SortOrder, bool Active, bool UsedByClassifier);

/// <summary>A new category. Its code is permanent (other systems keep it); everything else can be edited later.</summary>
public sealed record NewCategory(string? Code, string? NameVi, string? NameEn, int? ForwardWithinMinutes, int? ResolveWithinMinutes, int? SortOrder);

/// <summary>An edit: only the fields given change.</summary>
public sealed record CategoryEdit(string? NameVi, string? NameEn, int? ForwardWithinMinutes, int? ResolveWithinMinutes, int? SortOrder, bool? Active);

/// <summary>
/// Categories are data: the public reads them (the form's choices, Open311 services), Admin renames them, changes
/// their SLA, adds new ones and retires those the classifier does not use. Every change is audited.
/// </summary>
public static partial class CategoriesApi
{
    public const int MaxDeadlineMinutes = 30 * 24 * 60;

    /// <summary>The categories the classifier can choose; they cannot be retired while its rules name them.</summary>
    public static readonly IReadOnlySet<string> ClassifierCategories = Category.Defaults().Select(c => c.Code).ToHashSet(StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapCategoriesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/categories", ListPublic).WithTags("Reports").WithSummary("The categories a report can have, with their deadlines");
        var admin = routes.MapGroup("/api/v1/staff/categories").WithTags("Categories (admin)").RequireAuthorization(policy => policy.RequireRole(StaffRoles.Admin));
        admin.MapGet("/", ListAll).WithSummary("Every category, retired ones included");
        admin.MapPost("/", Create).WithSummary("Add a category (its code is permanent)");
        admin.MapPut("/{code}", Edit).WithSummary("Rename a category, change its deadlines or order, retire or restore it");
        return routes;
    }

    internal static async Task<Ok<List<CategoryDefinition>>> ListPublic(CitizenDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await LoadAsync(db, activeOnly: true, cancellationToken));

    internal static async Task<Ok<List<CategoryDefinition>>> ListAll(CitizenDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await LoadAsync(db, activeOnly: false, cancellationToken));

    internal static async Task<Results<Created<CategoryDefinition>, ValidationProblem, ProblemHttpResult>> Create(NewCategory request, CitizenDb db, Auditor audit, CategoryCache cache, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Code is null || !CodePattern().IsMatch(request.Code))
        {
            errors["code"] = ["'code' must be 2 to 32 lower-case letters, digits or dashes, starting with a letter (e.g. 'flooding')."];
        }

        var category = new Category
        {
            Code = request.Code ?? "",
            NameVi = request.NameVi?.Trim() ?? "",
            NameEn = request.NameEn?.Trim() ?? "",
            ForwardWithinMinutes = request.ForwardWithinMinutes ?? 5,
            ResolveWithinMinutes = request.ResolveWithinMinutes ?? 60,
            SortOrder = request.SortOrder ?? 100,
        };
        Check(category, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The category cannot be added");
        }

        if (await db.Categories.AnyAsync(c => c.Code == category.Code, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The category exists", detail: $"There is already a category '{category.Code}'. Edit it instead.");
        }

        db.Categories.Add(category);
        audit.Record("category.create", "category", category.Code, null, Snapshot(category));
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
        return TypedResults.Created($"/api/v1/staff/categories/{category.Code}", View(category));
    }

    internal static async Task<Results<Ok<CategoryDefinition>, ValidationProblem, ProblemHttpResult>> Edit(string code, CategoryEdit request, CitizenDb db, Auditor audit, CategoryCache cache, CancellationToken cancellationToken)
    {
        var category = await db.Categories.SingleOrDefaultAsync(c => c.Code == code, cancellationToken);
        if (category is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Category not found", detail: $"There is no category '{PlainText.Shorten(code, 40)}'.");
        }

        var before = Snapshot(category);
        category.NameVi = request.NameVi?.Trim() ?? category.NameVi;
        category.NameEn = request.NameEn?.Trim() ?? category.NameEn;
        category.ForwardWithinMinutes = request.ForwardWithinMinutes ?? category.ForwardWithinMinutes;
        category.ResolveWithinMinutes = request.ResolveWithinMinutes ?? category.ResolveWithinMinutes;
        category.SortOrder = request.SortOrder ?? category.SortOrder;
        var errors = new Dictionary<string, string[]>();
        Check(category, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The category cannot be changed");
        }

        if (request.Active is false && ClassifierCategories.Contains(code))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The category is in use",
                detail: $"The classifier files reports under '{code}'; it cannot be retired. Rename it or change its deadlines instead.");
        }

        category.Active = request.Active ?? category.Active;
        audit.Record("category.update", "category", category.Code, before, Snapshot(category));
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
        return TypedResults.Ok(View(category));
    }

    private static void Check(Category category, Dictionary<string, string[]> errors)
    {
        foreach (var (field, name) in new[] { ("nameVi", category.NameVi), ("nameEn", category.NameEn) })
        {
            if (name.Length is < 2 or > 200)
            {
                errors[field] = [$"'{field}' must be 2 to 200 characters."];
            }
            else
            {
                PlainText.Check(field, name, errors);
            }
        }

        foreach (var (field, minutes) in new[] { ("forwardWithinMinutes", category.ForwardWithinMinutes), ("resolveWithinMinutes", category.ResolveWithinMinutes) })
        {
            if (minutes is < 1 or > MaxDeadlineMinutes)
            {
                errors[field] = [$"'{field}' must be 1 to {MaxDeadlineMinutes} minutes (30 days)."];
            }
        }

        if (category.SortOrder is < 0 or > 10_000)
        {
            errors["sortOrder"] = ["'sortOrder' must be 0 to 10000."];
        }
    }

    private static async Task<List<CategoryDefinition>> LoadAsync(CitizenDb db, bool activeOnly, CancellationToken cancellationToken) =>
        (await db.Categories.AsNoTracking().Where(c => !activeOnly || c.Active).OrderBy(c => c.SortOrder).ThenBy(c => c.Code).ToListAsync(cancellationToken))
        .Select(View).ToList();

    private static CategoryDefinition View(Category c) =>
        new(c.Code, c.Name(ReportViews.English), c.NameVi, c.NameEn, c.ForwardWithinMinutes, c.ResolveWithinMinutes, c.SortOrder, c.Active, ClassifierCategories.Contains(c.Code));

    private static object Snapshot(Category c) => new { c.NameVi, c.NameEn, c.ForwardWithinMinutes, c.ResolveWithinMinutes, c.SortOrder, c.Active };

    [GeneratedRegex("^[a-z][a-z0-9-]{1,31}$")]
    private static partial Regex CodePattern();
}
