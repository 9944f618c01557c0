using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Declarations;

/// <summary>
/// The command's page of health declarations (<c>/staff/declarations</c>): the reporting day's figures as the seed
/// quotes them (people, the change, symptomatic people by source, exposures), by district, and the last 30 days. Same
/// figures, same scope as <c>GET /api/v1/stats/declarations</c>; counts only, for every staff role.
/// </summary>
[Authorize]
public sealed class DeclarationDashboardPageModel(CitizenDb db, JurisdictionCatalog catalog, TimeProvider time, DeclarationOptions options, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Date { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Day { get; set; }

    public DeclarationFigures? Figures { get; private set; }

    public string? Problem { get; private set; }

    /// <summary>The units to choose from: the caller's provinces and their districts.</summary>
    public IReadOnlyList<UnitChoice> Units { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Units = await FigureArea.ChoicesAsync(db, cancellationToken);
        var unit = FigureArea.DashboardUnit(User, Units, Unit, (await catalog.TodayAsync()).Set);
        var result = await DeclarationFiguresApi.Figures(db, time, options, User, Date, unit, Day, cancellationToken);
        switch (result.Result)
        {
            case Ok<DeclarationFigures> ok:
                Figures = ok.Value!;
                Unit = Figures.Unit?.Code;
                Date = Figures.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                Day = Figures.ReportingDay;
                break;
            case ValidationProblem:
                Problem = text["DeclDashBadQuery"];
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
