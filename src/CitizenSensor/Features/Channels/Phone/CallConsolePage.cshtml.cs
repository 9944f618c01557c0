using System.Globalization;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Channels.Phone;

/// <summary>
/// The call agent's console: find the caller, file the report, log the call, work the call-back queue. Every action
/// asks <see cref="CallDesk"/>, as the phone API does, so the rules, the scoping and the audit are the same. The page is usable from
/// the keyboard alone (autofocus, access keys, Enter submits), because agents type while they listen.
/// </summary>
[Authorize(Roles = $"{StaffRoles.Admin},{StaffRoles.CallAgent}")]
public sealed class CallConsolePageModel(CallDesk desk, CategoryCache categories, TimeProvider time) : PageModel
{
    /// <summary>A phone number or a report code.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary>The code of the report just filed (after the redirect).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Filed { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Logged { get; set; }

    public CallerHistory? History { get; private set; }

    public IReadOnlyList<CallbackTask> Callbacks { get; private set; } = [];

    public IReadOnlyList<CallView> Recent { get; private set; } = [];

    public IReadOnlyList<Category> Categories { get; private set; } = [];

    public string? Problem { get; private set; }

    /// <summary>When the page was opened: the start of the call the agent is taking, unless they change it.</summary>
    public string OpenedAt { get; private set; } = "";

    /// <summary>The phone typed in the search box, if it is one: it pre-fills the report and call forms.</summary>
    public string? CallerPhone => PhoneNumbers.Normalize(Q);

    public async Task OnGetAsync(CancellationToken cancellationToken) => await ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostReportAsync(
        string? callerPhone, string? callerName, string? line, string? startedAt, string? description, string? address, string? category, CancellationToken cancellationToken)
    {
        if (!TryParseLocal(startedAt, out var started))
        {
            return await RefuseAsync(BadTime("startedAt"), cancellationToken);
        }

        var outcome = await desk.FileReportAsync(StaffActor.From(User),
            new PhoneReportRequest(callerPhone, Blank(callerName), Blank(line), started, description, Blank(address), null, null, Blank(category)), cancellationToken);
        return outcome is Outcome<CallView>.Done { Value: var call }
            ? RedirectToPage(new { filed = call.ReportCode, q = call.CallerPhone })
            : await RefuseAsync(outcome, cancellationToken);
    }

    public async Task<IActionResult> OnPostCallAsync(
        string? direction, string? line, string? callerPhone, string? outcome, string? reportCode, string? startedAt, string? endedAt, string? note, CancellationToken cancellationToken)
    {
        if (!TryParseLocal(startedAt, out var startedLocal) || !TryParseLocal(endedAt, out var endedLocal))
        {
            return await RefuseAsync(BadTime(TryParseLocal(startedAt, out _) ? "endedAt" : "startedAt"), cancellationToken);
        }

        var started = startedLocal ?? time.GetUtcNow();
        var ended = endedLocal ?? time.GetUtcNow();
        var answered = outcome == "missed" ? null : (DateTimeOffset?)started;
        var result = await desk.LogAsync(StaffActor.From(User),
            new CallRequest(direction, Blank(line), callerPhone, started, answered, ended, outcome, Blank(reportCode), Blank(note)), cancellationToken);
        return result is Outcome<CallView>.Done ? RedirectToPage(new { logged = true, q = Q }) : await RefuseAsync(result, cancellationToken);
    }

    /// <summary>The agent called the resident back with the result: reached (the task is done) or not (it stays).</summary>
    public async Task<IActionResult> OnPostCallbackAsync(string code, string callerPhone, bool reached, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var result = await desk.LogAsync(StaffActor.From(User),
            new CallRequest("outbound", null, callerPhone, now, reached ? now : null, now, reached ? "answered-directly" : "missed", code, null), cancellationToken);
        return result is Outcome<CallView>.Done ? RedirectToPage(new { logged = true }) : await RefuseAsync(result, cancellationToken);
    }

    private async Task<IActionResult> RefuseAsync<T>(Outcome<T> result, CancellationToken cancellationToken)
    {
        result.IsRefused(out var message, out var status);
        (Problem, Response.StatusCode) = (message, status);
        await ShowAsync(cancellationToken);
        return Page();
    }

    private async Task ShowAsync(CancellationToken cancellationToken)
    {
        OpenedAt = CityTime.ToLocal(time.GetUtcNow()).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
        Categories = [.. (await categories.GetAsync(cancellationToken)).Values.Where(c => c.Active).OrderBy(c => c.SortOrder)];
        var actor = StaffActor.From(User);
        Callbacks = await desk.CallbacksAsync(actor, cancellationToken) is Outcome<List<CallbackTask>>.Done { Value: var due } ? due : [];
        Recent = await desk.RecentAsync(actor, 12, cancellationToken) is Outcome<List<CallView>>.Done { Value: var recent } ? recent : [];
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var phone = PhoneNumbers.Normalize(Q);
            var lookup = await desk.LookupAsync(actor, phone, phone is null ? Q : null, cancellationToken);
            History = lookup is Outcome<CallerHistory>.Done { Value: var found } ? found : null;
        }
    }

    /// <summary>A form's local date and time (blank is allowed and means "not given").</summary>
    private static bool TryParseLocal(string? value, out DateTimeOffset? instant)
    {
        instant = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        if (!DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        instant = CityTime.FromLocal(local);
        return true;
    }

    private static Outcome<CallView> BadTime(string field) =>
        Outcome.Invalid<CallView>(field, $"'{field}' must be a date and time such as 2021-08-25T20:15.");

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
