using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Reports;

/// <summary>Admin's page for the categories; it asks <see cref="CategoryAdmin"/>, as the API does, so the rules are the same.</summary>
[Authorize(Roles = StaffRoles.Admin)]
public sealed class CategoriesPageModel(CategoryAdmin admin) : PageModel
{
    public IReadOnlyList<CategoryDefinition> Categories { get; private set; } = [];

    public string? Problem { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Saved { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Categories = await admin.ListAsync(activeOnly: false, cancellationToken);

    public async Task<IActionResult> OnPostSaveAsync(string code, string? nameVi, string? nameEn, int? forward, int? resolve, int? sortOrder, bool active, CancellationToken cancellationToken)
    {
        var outcome = await admin.EditAsync(StaffActor.From(User), code, new CategoryEdit(nameVi ?? "", nameEn ?? "", forward ?? 0, resolve ?? 0, sortOrder ?? -1, active), cancellationToken);
        return await AfterAsync(code, outcome, cancellationToken);
    }

    public async Task<IActionResult> OnPostAddAsync(string? code, string? nameVi, string? nameEn, int? forward, int? resolve, int? sortOrder, CancellationToken cancellationToken)
    {
        var outcome = await admin.CreateAsync(StaffActor.From(User), new NewCategory(code?.Trim(), nameVi, nameEn, forward, resolve, sortOrder), cancellationToken);
        return await AfterAsync(code, outcome, cancellationToken);
    }

    private async Task<IActionResult> AfterAsync(string? code, Outcome<CategoryDefinition> outcome, CancellationToken cancellationToken)
    {
        if (!outcome.IsRefused(out var message, out var status))
        {
            return RedirectToPage(new { saved = code }); // post, redirect, get
        }

        (Problem, Response.StatusCode) = (message, status);
        await OnGetAsync(cancellationToken);
        return Page();
    }
}
