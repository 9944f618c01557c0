using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Tracing;

/// <summary>
/// The public list of places of exposure (<c>/exposure-sites</c>), like NZ's locations of interest: what health officers
/// published, the venue, the window and the advice; the same list as <c>GET /api/v1/exposure-sites</c>.
/// </summary>
public sealed class ExposureSitesPageModel(ExposureSites sites, TracingOptions options) : PageModel
{
    public IReadOnlyList<PublicSite> Sites { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!options.PublicSites)
        {
            return NotFound();
        }

        Sites = await sites.PublicAsync(cancellationToken);
        return Page();
    }
}
