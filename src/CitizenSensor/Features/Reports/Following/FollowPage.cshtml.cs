using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace CitizenSensor.Features.Reports.Following;

/// <summary>
/// Following a report by e-mail, in the browser: the tracking page's form posts here (<c>/r/{code}/follow</c>), and the
/// link in every message opens this page for the subscription (<c>/r/{code}/follow/{id}/{token}</c>) to confirm or
/// stop it with a button (a mail scanner that opens links changes nothing). Asks <see cref="ReportFollowing"/>, as the
/// API does; rate limited per client address.
/// </summary>
[EnableRateLimiting(PublicLimits.Following)]
public sealed class FollowPageModel(ReportFollowing following) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Code { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public Guid? Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public FollowerState? State { get; private set; }

    /// <summary>What was just done: "sent", "confirmed" or "stopped".</summary>
    public string? Done { get; private set; }

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Id is not { } id)
        {
            return LocalRedirect($"/r/{Uri.EscapeDataString(Report.NormalizeCode(Code))}");
        }

        State = await following.FindAsync(Code, id, Token, cancellationToken);
        return State is null ? NotFound() : Page();
    }

    /// <summary>The tracking page's form: ask to follow with an address.</summary>
    public async Task<IActionResult> OnPostAsync(string? email, CancellationToken cancellationToken) =>
        Answer(await following.RequestAsync(Code, email, cancellationToken), "sent");

    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken cancellationToken) =>
        Id is { } id ? Answer(await following.ConfirmAsync(Code, id, Token, cancellationToken), "confirmed") : NotFound();

    public async Task<IActionResult> OnPostStopAsync(CancellationToken cancellationToken) =>
        Id is { } id ? Answer(await following.StopAsync(Code, id, Token, cancellationToken), "stopped") : NotFound();

    private PageResult Answer(Outcome<string> outcome, string done)
    {
        if (outcome.IsRefused(out var message, out var status))
        {
            Problem = message;
            Response.StatusCode = status;
            return Page();
        }

        Code = ((Outcome<string>.Done)outcome).Value;
        Done = done;
        return Page();
    }
}
