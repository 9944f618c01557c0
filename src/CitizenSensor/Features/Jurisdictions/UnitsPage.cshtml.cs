using CitizenSensor.Data;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>The units browser: search, address lookup, and a unit with its boundary map and children.</summary>
public sealed class UnitsPageModel(CitizenDb db, JurisdictionCatalog catalog, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Address { get; set; }

    /// <summary>The set browsed (a reform's id); today's when none is chosen.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Set { get; set; }

    /// <summary>Every set with its dates, for the choice and the labels.</summary>
    public IReadOnlyList<UnitSetInfo> Sets { get; private set; } = [];

    /// <summary>The set shown: the one chosen, else today's.</summary>
    public UnitSetInfo? Shown { get; private set; }

    public UnitSetInfo? SetOf(string id) => Sets.FirstOrDefault(s => s.Id == id);

    /// <summary>The old unit an address named, when it was written in an earlier reform's units.</summary>
    public string? AddressNamed { get; private set; }

    public UnitDetail? Unit { get; private set; }

    public bool HasMap { get; private set; }

    public string? NotFoundCode { get; private set; }

    public IReadOnlyList<UnitSummary> Results { get; private set; } = [];

    public string? AddressResult { get; private set; }

    public string? AddressProblem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? code, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.GetAsync();
        Sets = [.. snapshot.Sets.Select(s => s.Set)];
        var today = snapshot.At(time.GetUtcNow()).Set;
        Shown = Set is null ? today : SetOf(Set) ?? today;
        if (code is not null)
        {
            var result = await UnitsApi.Get(code, db, catalog, time, null, Set is null ? null : Shown.Id, cancellationToken);
            if (result.Result is Ok<UnitDetail> ok)
            {
                Unit = ok.Value;
                HasMap = Unit!.HasBoundary || Unit.Children.Any(c => snapshot.MapBoundaries.ContainsKey(c.Code));
                return Page();
            }

            NotFoundCode = code;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        if (!string.IsNullOrWhiteSpace(Address))
        {
            var match = snapshot.MatchAddress(Address.Length > 500 ? Address[..500] : Address, CityTime.DayOf(time.GetUtcNow()));
            AddressNamed = match.Named is { } named ? $"{named.Name} ({SetOf(named.SetId)?.Name ?? named.SetId})" : null;
            if (match.Matched)
            {
                AddressResult = string.Join(", ", new[] { match.Ward, match.District, match.Province }.Where(u => u is not null).Select(u => u!.Name));
            }
            else
            {
                AddressProblem = match.Reason;
            }
        }

        var search = await UnitsApi.Search(db, catalog, time, Q?.Length > 100 ? Q[..100] : Q, null, null, null, Shown.Id, 50, cancellationToken);
        Results = search.Result is Ok<List<UnitSummary>> found ? found.Value! : [];
        return Page();
    }
}
