using CitizenSensor.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>The units browser: search, address lookup, and a unit with its boundary map and children.</summary>
public sealed class UnitsPageModel(CitizenDb db, JurisdictionCatalog catalog) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Address { get; set; }

    public UnitDetail? Unit { get; private set; }

    public bool HasMap { get; private set; }

    public string? NotFoundCode { get; private set; }

    public IReadOnlyList<UnitSummary> Results { get; private set; } = [];

    public string? AddressResult { get; private set; }

    public string? AddressProblem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? code, CancellationToken cancellationToken)
    {
        if (code is not null)
        {
            var result = await UnitsApi.Get(code, db, cancellationToken);
            if (result.Result is Ok<UnitDetail> ok)
            {
                Unit = ok.Value;
                var snapshot = await catalog.GetAsync();
                HasMap = Unit!.HasBoundary || Unit.Children.Any(c => snapshot.MapBoundaries.ContainsKey(c.Code));
                return Page();
            }

            NotFoundCode = code;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        if (!string.IsNullOrWhiteSpace(Address))
        {
            var match = (await catalog.GetAsync()).Addresses.Match(Address.Length > 500 ? Address[..500] : Address);
            if (match.Matched)
            {
                AddressResult = string.Join(", ", new[] { match.Ward, match.District, match.Province }.Where(u => u is not null).Select(u => u!.Name));
            }
            else
            {
                AddressProblem = match.Reason;
            }
        }

        var search = await UnitsApi.Search(db, Q?.Length > 100 ? Q[..100] : Q, null, null, 50, cancellationToken);
        Results = search.Result is Ok<List<UnitSummary>> found ? found.Value! : [];
        return Page();
    }
}
