using System.Text.RegularExpressions;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// Categories are data: Admin renames them, changes their deadlines, adds new ones and retires those the classifier
/// does not use. The one place these rules live, behind the staff API and the categories page: it checks the role,
/// validates a change before it touches the category, and saves the change with its audit entry, or nothing.
/// </summary>
public sealed partial class CategoryAdmin(CitizenDb db, Auditor audit, CategoryCache cache, IStringLocalizer<SharedResource> text)
{
    public const int MaxDeadlineMinutes = 30 * 24 * 60;

    /// <summary>The categories the classifier can choose; they cannot be retired while its rules name them.</summary>
    public static readonly IReadOnlySet<string> ClassifierCategories = Category.Defaults().Select(c => c.Code).ToHashSet(StringComparer.Ordinal);

    /// <summary>Who may change categories: Admin only.</summary>
    public static bool MayManage(StaffActor actor) => actor.IsAdmin;

    public async Task<List<CategoryDefinition>> ListAsync(bool activeOnly, CancellationToken cancellationToken) =>
        (await db.Categories.AsNoTracking().Where(c => !activeOnly || c.Active).OrderBy(c => c.SortOrder).ThenBy(c => c.Code).ToListAsync(cancellationToken))
        .Select(View).ToList();

    public async Task<Outcome<CategoryDefinition>> CreateAsync(StaffActor actor, NewCategory request, CancellationToken cancellationToken)
    {
        if (!MayManage(actor))
        {
            return new Outcome<CategoryDefinition>.Forbidden(text["Outcome_AdminOnly"]);
        }

        var errors = new Dictionary<string, string[]>();
        var code = request.Code?.Trim();
        if (code is null || !CodePattern().IsMatch(code))
        {
            errors["code"] = ["'code' must be 2 to 32 lower-case letters, digits or dashes, starting with a letter (e.g. 'flooding')."];
        }

        var category = new Category
        {
            Code = code ?? "",
            NameVi = request.NameVi?.Trim() ?? "",
            NameEn = request.NameEn?.Trim() ?? "",
            ForwardWithinMinutes = request.ForwardWithinMinutes ?? 5,
            ResolveWithinMinutes = request.ResolveWithinMinutes ?? 60,
            SortOrder = request.SortOrder ?? 100,
        };
        Check(category, errors);
        if (errors.Count > 0)
        {
            return Outcome.Invalid<CategoryDefinition>(errors);
        }

        if (await db.Categories.AnyAsync(c => c.Code == category.Code, cancellationToken))
        {
            return new Outcome<CategoryDefinition>.Conflict($"There is already a category '{category.Code}'. Edit it instead.");
        }

        db.Categories.Add(category);
        audit.Record(actor, "category.create", "category", category.Code, null, Snapshot(category));
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
        return Outcome.Done(View(category));
    }

    /// <summary>Changes the fields given; the category is touched only once the whole change is valid.</summary>
    public async Task<Outcome<CategoryDefinition>> EditAsync(StaffActor actor, string code, CategoryEdit request, CancellationToken cancellationToken)
    {
        if (!MayManage(actor))
        {
            return new Outcome<CategoryDefinition>.Forbidden(text["Outcome_AdminOnly"]);
        }

        var category = await db.Categories.AsNoTracking().SingleOrDefaultAsync(c => c.Code == code, cancellationToken);
        if (category is null)
        {
            return new Outcome<CategoryDefinition>.NotFound($"There is no category '{PlainText.Shorten(code, 40)}'.");
        }

        var before = Snapshot(category);
        var changed = new Category
        {
            Code = category.Code,
            NameVi = request.NameVi?.Trim() ?? category.NameVi,
            NameEn = request.NameEn?.Trim() ?? category.NameEn,
            ForwardWithinMinutes = request.ForwardWithinMinutes ?? category.ForwardWithinMinutes,
            ResolveWithinMinutes = request.ResolveWithinMinutes ?? category.ResolveWithinMinutes,
            SortOrder = request.SortOrder ?? category.SortOrder,
            Active = request.Active ?? category.Active,
        };
        var errors = new Dictionary<string, string[]>();
        Check(changed, errors);
        if (errors.Count > 0)
        {
            return Outcome.Invalid<CategoryDefinition>(errors);
        }

        if (!changed.Active && ClassifierCategories.Contains(code))
        {
            return new Outcome<CategoryDefinition>.Conflict(
                $"The classifier files reports under '{code}'; it cannot be retired. Rename it or change its deadlines instead.");
        }

        db.Categories.Update(changed);
        audit.Record(actor, "category.update", "category", changed.Code, before, Snapshot(changed));
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
        return Outcome.Done(View(changed));
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

    private static CategoryDefinition View(Category c) =>
        new(c.Code, c.Name(ReportViews.English), c.NameVi, c.NameEn, c.ForwardWithinMinutes, c.ResolveWithinMinutes, c.SortOrder, c.Active, ClassifierCategories.Contains(c.Code));

    private static object Snapshot(Category c) => new { c.NameVi, c.NameEn, c.ForwardWithinMinutes, c.ResolveWithinMinutes, c.SortOrder, c.Active };

    [GeneratedRegex("^[a-z][a-z0-9-]{1,31}$")]
    private static partial Regex CodePattern();
}
