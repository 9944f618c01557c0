using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
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

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Clients = await keys.ListAsync(StaffActor.From(User), cancellationToken) is Outcome<List<Open311ClientView>>.Done done ? done.Value : [];

    public async Task<IActionResult> OnPostIssueAsync(string? name, CancellationToken cancellationToken)
    {
        var outcome = await keys.IssueAsync(StaffActor.From(User), name, cancellationToken);
        if (outcome is Outcome<IssuedOpen311Key>.Done done)
        {
            NewKey = done.Value.Key;
        }
        else
        {
            outcome.IsRefused(out var message, out var status);
            (Problem, Response.StatusCode) = (message, status);
        }

        // No redirect: the key exists only in this answer (and the page sends no-store).
        Response.Headers.CacheControl = "no-store";
        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id, CancellationToken cancellationToken)
    {
        var outcome = await keys.RevokeAsync(StaffActor.From(User), id, cancellationToken);
        if (!outcome.IsRefused(out var message, out var status))
        {
            return RedirectToPage();
        }

        (Problem, Response.StatusCode) = (message, status);
        await OnGetAsync(cancellationToken);
        return Page();
    }
}
