using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure.Export;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// <c>/staff/reports/stats</c>: the figures of <c>GET /api/v1/stats/reports</c> (same service, same scope) as tiles,
/// tables and 30-day charts, with the same CSV/XLSX export.
/// </summary>
[Authorize]
public sealed class ReportStatsPageModel(ReportStatistics statistics, CitizenDb db, JurisdictionCatalog catalog, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Channel { get; set; }

    /// <summary>A unit set to count every report in ("2025": the 2021 reports in today's communes), or none: the units of their time.</summary>
    [BindProperty(SupportsGet = true)]
    public string? In { get; set; }

    public IReadOnlyList<UnitSetInfo> Sets { get; private set; } = [];

    public ReportStats? Stats { get; private set; }

    public string? Problem { get; private set; }

    public IReadOnlyList<UnitChoice> Units { get; private set; } = [];

    public IReadOnlyList<(string Code, string Name)> Categories { get; private set; } = [];

    public IReadOnlyList<string> Channels { get; } =
        [ReportChannels.Web, ReportChannels.App, ReportChannels.Open311, ReportChannels.Phone, ReportChannels.Email, ReportChannels.Facebook];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadChoicesAsync(cancellationToken);
        if (!ReportStatsApi.TryQuery(From, To, Unit, Category, Channel, In, out var query, out _))
        {
            return Refuse(StatusCodes.Status400BadRequest, text["Stats_BadDay"]);
        }

        switch (await statistics.ComputeAsync(StaffActor.From(User), query, cancellationToken))
        {
            case StatsOutcome.Figures figures:
                Stats = figures.Stats;
                From = Stats.From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                To = Stats.To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                return Page();
            case StatsOutcome.Invalid invalid:
                return Refuse(StatusCodes.Status400BadRequest, string.Join(" ", invalid.Errors.SelectMany(e => e.Value)));
            case StatsOutcome.Forbidden forbidden:
                return Refuse(StatusCodes.Status403Forbidden, forbidden.Message);
            default:
                throw new InvalidOperationException("Unexpected outcome");
        }
    }

    /// <summary><c>?handler=export&amp;format=csv|xlsx</c>: the same reports as a file.</summary>
    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken cancellationToken)
    {
        if (!TableExport.TryParseFormat(format, out var tableFormat) || !ReportStatsApi.TryQuery(From, To, Unit, Category, Channel, In, out var query, out _))
        {
            await LoadChoicesAsync(cancellationToken);
            return Refuse(StatusCodes.Status400BadRequest, text["Stats_BadDay"]);
        }

        var outcome = await statistics.ExportAsync(StaffActor.From(User), query, cancellationToken);
        if (outcome is StatsOutcome.Rows rows)
        {
            return ReportStatsApi.FileOf(rows, tableFormat);
        }

        await LoadChoicesAsync(cancellationToken);
        return outcome is StatsOutcome.Forbidden forbidden
            ? Refuse(StatusCodes.Status403Forbidden, forbidden.Message)
            : Refuse(StatusCodes.Status400BadRequest, string.Join(" ", ((StatsOutcome.Invalid)outcome).Errors.SelectMany(e => e.Value)));
    }

    /// <summary>The query string of the current filters, for the export links.</summary>
    public string ExportQuery(string format) => QueryString.Create(new Dictionary<string, string?>
    {
        ["handler"] = "export",
        ["format"] = format,
        ["from"] = From,
        ["to"] = To,
        ["unit"] = Unit,
        ["category"] = Category,
        ["channel"] = Channel,
        ["in"] = In,
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToString();

    private PageResult Refuse(int status, string message)
    {
        Problem = message;
        Response.StatusCode = status;
        return Page();
    }

    private async Task LoadChoicesAsync(CancellationToken cancellationToken)
    {
        Units = await FigureArea.ChoicesAsync(db, cancellationToken);
        Sets = [.. (await catalog.GetAsync()).Sets.Select(s => s.Set).Reverse()];
        var english = ReportViews.English;
        Categories = [.. (await db.Categories.AsNoTracking().OrderBy(c => c.SortOrder).ToListAsync(cancellationToken)).Select(c => (c.Code, c.Name(english)))];
    }
}
