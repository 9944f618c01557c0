using System.Globalization;
using System.Text.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Tracing;

/// <summary>
/// The tracing dashboard (<c>/staff/tracing</c>): the day's figures (new F0, F1, F2, F1 reached within 24 hours) with
/// 30 days of charts, the hotspot map by unit, the clusters flagged, and the places of exposure an officer publishes.
/// The same services as <c>GET /api/v1/stats/tracing</c> and <c>/api/v1/tracing/sites</c>.
/// </summary>
[Authorize(Roles = $"{StaffRoles.Admin},{StaffRoles.HealthOfficer}")]
public sealed class TracingDashboardPageModel(TracingFigures figures, ExposureSites sites, CitizenDb db, JurisdictionCatalog catalog, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Date { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    public TracingFiguresView? Figures { get; private set; }

    public HotspotsView? Hotspots { get; private set; }

    public IReadOnlyList<UnitChoice> Units { get; private set; } = [];

    /// <summary>The city whose units the map shows, when the dashboard is for a city.</summary>
    public string? MapUnit { get; private set; }

    /// <summary>Handling unit → cases with a place of exposure there, for the map.</summary>
    public string MapJson { get; private set; } = "{}";

    public string? Problem { get; private set; }

    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostPublishAsync(long id, bool published, string? advice, CancellationToken cancellationToken)
    {
        switch (await sites.PublishAsync(StaffActor.From(User), id, new PublishSiteRequest(published, advice), cancellationToken))
        {
            case Outcome<SiteView>.Done done:
                Done = text[published ? "TracingPublished" : "TracingUnpublished", done.Value.VenueName];
                break;
            case Outcome<SiteView>.Invalid invalid:
                Problem = string.Join(" ", invalid.Errors.Values.Select(v => v[0]));
                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
            case Outcome<SiteView>.NotFound:
                return NotFound();
            default:
                return Forbid();
        }

        return await ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        var actor = StaffActor.From(User);
        Units = await FigureArea.ChoicesAsync(db, cancellationToken);
        var unit = FigureArea.DashboardUnit(User, Units, Unit, (await catalog.TodayAsync()).Set);
        switch (await figures.FiguresAsync(actor, Date, unit, null, cancellationToken))
        {
            case Outcome<TracingFiguresView>.Done done:
                Figures = done.Value;
                Unit = Figures.Unit?.Code;
                Date = Figures.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                break;
            case Outcome<TracingFiguresView>.Invalid:
                Problem = text["VenueDashBadDate"];
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            default:
                Problem = text["VenueDashUnknownUnit", unit ?? ""];
                Response.StatusCode = StatusCodes.Status404NotFound;
                return Page();
        }

        if (await sites.HotspotsAsync(actor, unit, cancellationToken) is Outcome<HotspotsView>.Done hot)
        {
            Hotspots = hot.Value;
            MapUnit = Units.Any(u => u.Code == Unit && u.IsTop) ? Unit : null;
            MapJson = JsonSerializer.Serialize(Hotspots.ByDistrict.ToDictionary(d => d.Code, d => d.Cases));
        }

        return Page();
    }
}
