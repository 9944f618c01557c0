using CitizenSensor.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Pages;

public sealed class IndexModel(CitizenDb db, Features.Jurisdictions.JurisdictionCatalog catalog) : PageModel
{
    public sealed record CityCoverage(string Code, string Name, int Districts, int Wards);

    public IReadOnlyList<CityCoverage> Cities { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // Today's cities, with how many units handle reports there and how many lie below those (wards of 2021).
        var set = (await catalog.TodayAsync()).Set;
        var cities = await db.Units.AsNoTracking().Where(u => u.SetId == set.Id && u.ParentCode == null).OrderBy(u => u.GsoCode)
            .Select(u => new { u.Code, u.Name, u.UnitPath }).ToListAsync(cancellationToken);
        var coverage = new List<CityCoverage>();
        foreach (var city in cities)
        {
            var byDepth = await db.Units.AsNoTracking()
                .Where(u => u.UnitPath.StartsWith(city.UnitPath))
                .GroupBy(u => u.Level)
                .Select(g => new { Depth = g.Key, Count = g.Count() })
                .ToDictionaryAsync(x => x.Depth, x => x.Count, cancellationToken);
            coverage.Add(new CityCoverage(city.Code, city.Name, byDepth.GetValueOrDefault(set.HandlingDepth), byDepth.GetValueOrDefault(set.HandlingDepth + 1)));
        }

        Cities = coverage;
    }
}
