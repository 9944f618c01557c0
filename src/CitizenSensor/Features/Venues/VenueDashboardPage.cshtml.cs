using System.Globalization;
using System.Text.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Venues;

/// <summary>
/// The command's dashboard of QR locations (<c>/staff/venues</c>): the day's figures, districts on the city's own map
/// coloured by scans, the last 30 days as charts, and the wards where nobody scanned. Same figures, same scope as
/// <c>GET /api/v1/stats/venues</c>.
/// </summary>
[Authorize]
public sealed class VenueDashboardPageModel(CitizenDb db, JurisdictionCatalog catalog, TimeProvider time, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Date { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    public VenueFigures? Figures { get; private set; }

    public string? Problem { get; private set; }

    /// <summary>The province whose districts the map shows, when the figures are for a province.</summary>
    public string? MapUnit { get; private set; }

    public string ScansJson { get; private set; } = "{}";

    /// <summary>The units to choose from: the caller's provinces and their districts.</summary>
    public IReadOnlyList<UnitChoice> Units { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Units = await FigureArea.ChoicesAsync(db, cancellationToken);
        var unit = FigureArea.DashboardUnit(User, Units, Unit, (await catalog.TodayAsync()).Set);
        var result = await VenueFiguresApi.Figures(db, time, User, Date, unit, cancellationToken);
        switch (result.Result)
        {
            case Ok<VenueFigures> ok:
                Figures = ok.Value!;
                Unit = Figures.Unit?.Code;
                Date = Figures.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                MapUnit = Units.Any(u => u.Code == Unit && u.IsTop) ? Unit : null;
                ScansJson = JsonSerializer.Serialize(Figures.ScansByDistrict.ToDictionary(d => d.Code, d => d.Scans));
                break;
            case ValidationProblem:
                Problem = text["VenueDashBadDate"];
                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
            case ProblemHttpResult problem:
                Problem = text["VenueDashUnknownUnit", unit ?? ""];
                Response.StatusCode = problem.StatusCode;
                break;
        }

        return Page();
    }
}
