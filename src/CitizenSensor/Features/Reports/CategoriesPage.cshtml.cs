using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Reports;

/// <summary>Admin's page for the categories; it calls the same handlers as the API, so the rules are the same.</summary>
[Authorize(Roles = StaffRoles.Admin)]
public sealed class CategoriesPageModel(CitizenDb db, Auditor audit, CategoryCache cache) : PageModel
{
    public IReadOnlyList<CategoryDefinition> Categories { get; private set; } = [];

    public string? Problem { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Saved { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Categories = (await CategoriesApi.ListAll(db, cancellationToken)).Value!;

    public async Task<IActionResult> OnPostSaveAsync(string code, string? nameVi, string? nameEn, int? forward, int? resolve, int? sortOrder, bool active, CancellationToken cancellationToken)
    {
        var outcome = await CategoriesApi.Edit(code, new CategoryEdit(nameVi ?? "", nameEn ?? "", forward ?? 0, resolve ?? 0, sortOrder ?? -1, active), db, audit, cache, cancellationToken);
        return await AfterAsync(code, outcome.Result, cancellationToken);
    }

    public async Task<IActionResult> OnPostAddAsync(string? code, string? nameVi, string? nameEn, int? forward, int? resolve, int? sortOrder, CancellationToken cancellationToken)
    {
        var outcome = await CategoriesApi.Create(new NewCategory(code?.Trim(), nameVi, nameEn, forward, resolve, sortOrder), db, audit, cache, cancellationToken);
        return await AfterAsync(code, outcome.Result, cancellationToken);
    }

    private async Task<IActionResult> AfterAsync(string? code, IResult outcome, CancellationToken cancellationToken)
    {
        if (!PageOutcome.IsProblem(outcome, out var message, out var status))
        {
            return RedirectToPage(new { saved = code }); // post, redirect, get
        }

        (Problem, Response.StatusCode) = (message, status);
        await OnGetAsync(cancellationToken);
        return Page();
    }
}
