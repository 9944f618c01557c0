using CitizenSensor.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Reports;

/// <summary>The officer's queue: the same list as the staff API (same scope, same order), as a page.</summary>
[Authorize]
public sealed class StaffQueuePageModel(CitizenDb db, TimeProvider time, ReportDetails details) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Show { get; set; }

    public IReadOnlyList<StaffReportItem> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Show = Show is "needs-triage" or "overdue" ? Show : null;
        var result = await StaffReportsApi.Queue(db, time, details, Show == "needs-triage" ? Show : null, null, Show == "overdue" ? true : null, null, 200, cancellationToken);
        Items = result.Value!;
    }
}
