using CitizenSensor.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Pages;

public sealed class IndexModel(CitizenDb db) : PageModel
{
    public sealed record CityCoverage(string Code, string Name, int Districts, int Wards);

    public IReadOnlyList<CityCoverage> Cities { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var cities = await db.Units.AsNoTracking().Where(u => u.Level == 1).OrderBy(u => u.Code)
            .Select(u => new { u.Code, u.Name, u.UnitPath }).ToListAsync(cancellationToken);
        var coverage = new List<CityCoverage>();
        foreach (var city in cities)
        {
            var byLevel = await db.Units.AsNoTracking()
                .Where(u => u.UnitPath.StartsWith(city.UnitPath))
                .GroupBy(u => u.Level)
                .Select(g => new { Level = g.Key, Count = g.Count() })
                .ToDictionaryAsync(x => x.Level, x => x.Count, cancellationToken);
            coverage.Add(new CityCoverage(city.Code, city.Name, byLevel.GetValueOrDefault(2), byLevel.GetValueOrDefault(3)));
        }

        Cities = coverage;
    }
}
