using System.Security.Claims;
using CitizenSensor.Features.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Channels.Open311;

/// <summary>Admin's page for Open311 keys: issue (the key is shown once), list, revoke.</summary>
[Authorize(Roles = StaffRoles.Admin)]
public sealed class Open311KeysPageModel(Open311Keys keys) : PageModel
{
    public IReadOnlyList<Open311ClientView> Clients { get; private set; } = [];

    /// <summary>Set only in the answer to the POST that issued it; never stored or shown again.</summary>
    public string? NewKey { get; private set; }

    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Clients = await keys.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostIssueAsync(string? name, CancellationToken cancellationToken)
    {
        var trimmed = name?.Trim() ?? "";
        if (!Open311Keys.IsValidName(trimmed))
        {
            Problem = $"'name' must be 2 to {Open311Keys.MaxName} characters of plain text.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else
        {
            NewKey = (await keys.IssueAsync(trimmed, User.FindFirstValue(ClaimTypes.Email) ?? "admin", cancellationToken)).Key;
        }

        // No redirect: the key exists only in this answer (and the page sends no-store).
        Response.Headers.CacheControl = "no-store";
        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id, CancellationToken cancellationToken)
    {
        await keys.RevokeAsync(id, cancellationToken);
        return RedirectToPage();
    }
}
