using System.Security.Claims;
using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Venues;

public sealed record DistrictScans(string Code, string Name, int Scans);

public sealed record DistrictNewVenues(string Code, string Name, int NewVenues);

public sealed record DistrictWards(string Code, string Name, IReadOnlyList<UnitName> Wards);

public sealed record VenueDayFigures(DateOnly Date, int Scans, int NewVenues);

/// <summary>
/// The command's view of QR locations on one city day, in the seed's terms (23/9/2021: 358,726 QR locations, 49,426
/// created that day, 41,289 scanned over 7 days, about 200,000 scans, 27 communes with no scan).
/// </summary>
public sealed record VenueFigures(
    DateOnly Date,
    UnitName? Unit,
    int NewVenues,
    int TotalVenues,
    int ActiveVenues7d,
    int Scans,
    IReadOnlyList<DistrictScans> ScansByDistrict,
    IReadOnlyList<DistrictNewVenues> NewVenuesByDistrict7d,
    int WardsWithoutScansCount,
    IReadOnlyList<DistrictWards> WardsWithoutScans,
    IReadOnlyList<VenueDayFigures> Last30Days);

/// <summary>
/// Venue figures for staff, over one unit of theirs (a province, district or ward). They read the venues and the
/// per-ward-day and per-venue-day counts the check-in writer keeps (<see cref="WardDay"/>, <see cref="VenueDay"/>), never the check-ins: they cost the same
/// over ten million check-ins as over ten, and survive the check-ins' retention. Days are the city's local days.
/// </summary>
public static class VenueFiguresApi
{
    public const int ChartDays = 30;

    public static IEndpointRouteBuilder MapVenueFiguresApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1/stats/venues").WithTags("Venues")
            .RequireAuthorization().RequireUnitScope()
            .MapGet("/", Figures).WithSummary("QR locations and scans on a city day, by district, with the last 30 days");
        return routes;
    }

    internal static async Task<Results<Ok<VenueFigures>, ValidationProblem, ProblemHttpResult>> Figures(
        CitizenDb db, TimeProvider time, ClaimsPrincipal user, string? date, string? unit, CancellationToken cancellationToken)
    {
        var today = CityTime.DayOf(time.GetUtcNow());
        var day = today;
        if (date is not null && (!DateOnly.TryParseExact(date, "yyyy-MM-dd", out day) || day > today))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["date"] = [$"'date' must be a day in the form YYYY-MM-DD, not after today ({today:yyyy-MM-dd})."],
            });
        }

        var (area, problem) = await FigureArea.ResolveAsync(db, user, unit, cancellationToken);
        if (area is null)
        {
            return problem!;
        }

        var path = area.Path;
        var districts = area.Districts.ToList();
        // The wards: units with none below them (2021 wards, 2025 communes).
        var units = db.Units.IgnoreQueryFilters().AsNoTracking();
        var wards = await units.Where(u => u.ParentCode != null && u.UnitPath.StartsWith(path) && !units.Any(c => c.ParentCode == u.Code))
            .Select(u => new { u.Code, u.Name, u.ParentCode, ParentName = u.Parent!.Name }).ToListAsync(cancellationToken);

        // Scans per day and district over the chart's days from the per-ward-day counts; active venues from the
        // per-venue-day ones (an index-only scan of the 7 days).
        var first = day.AddDays(1 - ChartDays);
        var week = day.AddDays(-6);
        var wardDays = db.Set<WardDay>().AsNoTracking().Where(d => d.Day >= first && d.Day <= day);
        var venueDays = db.Set<VenueDay>().AsNoTracking().Where(d => d.Day >= week && d.Day <= day);
        var code = area.Unit?.Code;
        (wardDays, venueDays) = area.Kind switch
        {
            AreaKind.Everywhere => (wardDays, venueDays),
            AreaKind.AboveHandling => (wardDays.Where(d => districts.Contains(d.DistrictCode)), venueDays.Where(d => districts.Contains(d.DistrictCode))),
            AreaKind.Handling => (wardDays.Where(d => d.DistrictCode == code), venueDays.Where(d => d.DistrictCode == code)),
            _ => (wardDays.Where(d => d.WardCode == code), venueDays.Where(d => d.WardCode == code)),
        };
        var scans = await wardDays.GroupBy(d => new { d.Day, d.DistrictCode })
            .Select(g => new { g.Key.Day, g.Key.DistrictCode, Scans = g.Sum(d => d.Scans) }).ToListAsync(cancellationToken);
        var active = await venueDays.Select(d => d.VenueId).Distinct().CountAsync(cancellationToken);
        var scannedWards = (await wardDays.Where(d => d.Day == day && d.Scans > 0).Select(d => d.WardCode).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);

        // Venues: created by the end of the day and not closed before it; new ones by day and district.
        var end = CityTime.StartOfDay(day.AddDays(1));
        var venues = db.Venues.AsNoTracking().Where(v => v.UnitPath.StartsWith(path));
        var totals = await venues.Where(v => v.CreatedDay <= day && (v.ClosedAt == null || v.ClosedAt >= end)).CountAsync(cancellationToken);
        var created = await venues.Where(v => v.CreatedDay >= first && v.CreatedDay <= day)
            .GroupBy(v => new { v.CreatedDay, v.DistrictCode })
            .Select(g => new { g.Key.CreatedDay, g.Key.DistrictCode, Count = g.Count() }).ToListAsync(cancellationToken);

        var byDistrict = districts.Select(d => new DistrictScans(d, area.DistrictName(d), scans.Where(s => s.Day == day && s.DistrictCode == d).Sum(s => s.Scans)))
            .OrderByDescending(d => d.Scans).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
        var newByDistrict = districts.Select(d => new DistrictNewVenues(d, area.DistrictName(d), created.Where(c => c.CreatedDay >= week && c.DistrictCode == d).Sum(c => c.Count)))
            .OrderByDescending(d => d.NewVenues).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
        var silent = wards.Where(w => !scannedWards.Contains(w.Code))
            .GroupBy(w => (Code: w.ParentCode ?? "", Name: w.ParentName))
            .Select(g => new DistrictWards(g.Key.Code, g.Key.Name, [.. g.Select(w => new UnitName(w.Code, w.Name)).OrderBy(w => w.Name, StringComparer.Ordinal)]))
            .OrderByDescending(g => g.Wards.Count).ThenBy(g => g.Name, StringComparer.Ordinal).ToList();
        var series = Enumerable.Range(0, ChartDays).Select(i => first.AddDays(i))
            .Select(d => new VenueDayFigures(d, scans.Where(s => s.Day == d).Sum(s => s.Scans), created.Where(c => c.CreatedDay == d).Sum(c => c.Count)))
            .ToList();

        return TypedResults.Ok(new VenueFigures(
            day,
            area.Unit,
            series[^1].NewVenues,
            totals,
            active,
            series[^1].Scans,
            byDistrict,
            newByDistrict,
            silent.Sum(g => g.Wards.Count),
            silent,
            series));
    }
}
