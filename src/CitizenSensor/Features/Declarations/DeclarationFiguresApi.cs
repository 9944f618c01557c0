using System.Security.Claims;
using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Declarations;

public sealed record SymptomaticFigures(int OnDay, int PreviousDay, int DeltaVsPreviousDay, IReadOnlyDictionary<string, int> BySource);

public sealed record ExposureFigures(int OnDay, int PreviousDay, int DeltaVsPreviousDay);

public sealed record DistrictDeclarations(string Code, string Name, int OnDay, int Symptomatic, int Exposures);

public sealed record DeclarationDayFigures(DateOnly Date, int OnDay, int Symptomatic);

/// <summary>
/// The command's view of health declarations on one reporting day, in the seed's terms (23/9/2021: 8,117,734 in all,
/// 136,989 that day, 48,891 more than the day before; 515 with cough, fever or difficulty breathing, 11 more, 235 by
/// one app and 280 by the website). People are counted once per reporting day however many versions they sent.
/// </summary>
public sealed record DeclarationFigures(
    DateOnly Date,
    string ReportingDay,
    DateTimeOffset From,
    DateTimeOffset To,
    UnitName? Unit,
    long Total,
    int OnDay,
    int PreviousDay,
    int DeltaVsPreviousDay,
    int Submissions,
    SymptomaticFigures Symptomatic,
    ExposureFigures Exposures,
    IReadOnlyList<DistrictDeclarations> ByDistrict,
    IReadOnlyList<DeclarationDayFigures> Last30Days);

/// <summary>
/// Declaration figures for staff, over one unit of theirs, from the day figures the writer keeps
/// (<see cref="DeclarationDay"/>): never the declarations, so they cost the same over ten million as over ten and
/// survive the retention job. The reporting day is the configured one unless <c>day=calendar|noon-to-noon</c> says.
/// </summary>
public static class DeclarationFiguresApi
{
    public const int ChartDays = 30;

    public static IEndpointRouteBuilder MapDeclarationFiguresApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1/stats/declarations").WithTags("Health declarations")
            .RequireAuthorization().RequireUnitScope()
            .MapGet("/", Figures).WithSummary("Declarations, symptomatic people and exposures on a reporting day, by source and district, with the last 30 days");
        return routes;
    }

    public static string Name(ReportingDay definition) => definition == ReportingDay.NoonToNoon ? "noon-to-noon" : "calendar";

    /// <summary>
    /// A figures request's <c>day</c>: <c>calendar</c>, <c>noon-to-noon</c>, or the configured definition when left out;
    /// anything else is named in <paramref name="errors"/> and gives 0.
    /// </summary>
    public static ReportingDay ParseDay(string? day, ReportingDay configured, Dictionary<string, string[]> errors)
    {
        var definition = day switch
        {
            null or "" => configured,
            "calendar" => ReportingDay.Calendar,
            "noon-to-noon" => ReportingDay.NoonToNoon,
            _ => (ReportingDay)0,
        };
        if (definition == 0)
        {
            errors["day"] = ["'day' is 'calendar' (00:00 to 24:00) or 'noon-to-noon' (12:00 the day before to 12:00)."];
        }

        return definition;
    }

    internal static async Task<Results<Ok<DeclarationFigures>, ValidationProblem, ProblemHttpResult>> Figures(
        CitizenDb db, TimeProvider time, DeclarationOptions options, ClaimsPrincipal user, string? date, string? unit, string? day, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var definition = ParseDay(day, options.ReportingDay, errors);

        var now = time.GetUtcNow();
        var latest = Declaration.ReportingDayOf(now, definition == 0 ? ReportingDay.Calendar : definition);
        var reportDay = latest;
        if (date is not null && (!DateOnly.TryParseExact(date, "yyyy-MM-dd", out reportDay) || reportDay > latest))
        {
            errors["date"] = [$"'date' must be a day in the form YYYY-MM-DD, not after the current reporting day ({latest:yyyy-MM-dd})."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (area, problem) = await FigureArea.ResolveAsync(db, user, unit, cancellationToken);
        if (area is null)
        {
            return problem!;
        }

        var code = area.Unit?.Code;
        var districtCodes = area.Districts.ToList();
        var rows = db.Set<DeclarationDay>().AsNoTracking().Where(d => d.Definition == definition && d.Day <= reportDay);
        rows = area.Kind switch
        {
            AreaKind.Everywhere => rows,
            AreaKind.AboveHandling => rows.Where(d => districtCodes.Contains(d.DistrictCode)),
            AreaKind.Handling => rows.Where(d => d.DistrictCode == code),
            _ => rows.Where(d => d.WardCode == code),
        };
        var total = await rows.SumAsync(d => (long)d.People, cancellationToken);
        var first = reportDay.AddDays(1 - ChartDays);
        var recent = await rows.Where(d => d.Day >= first.AddDays(-1))
            .GroupBy(d => new { d.Day, d.DistrictCode, d.Source })
            .Select(g => new
            {
                g.Key.Day,
                g.Key.DistrictCode,
                g.Key.Source,
                People = g.Sum(d => d.People),
                Symptomatic = g.Sum(d => d.Symptomatic),
                Exposed = g.Sum(d => d.Exposed),
                Submissions = g.Sum(d => d.Submissions),
            })
            .ToListAsync(cancellationToken);

        var previousDay = reportDay.AddDays(-1);
        var onDay = recent.Where(r => r.Day == reportDay).ToList();
        var before = recent.Where(r => r.Day == previousDay).ToList();
        var bySource = onDay.GroupBy(r => r.Source).Where(g => g.Sum(r => r.Symptomatic) > 0)
            .OrderByDescending(g => g.Sum(r => r.Symptomatic)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(r => r.Symptomatic));
        var byDistrict = districtCodes
            .Select(d => new DistrictDeclarations(d, area.DistrictName(d),
                onDay.Where(r => r.DistrictCode == d).Sum(r => r.People),
                onDay.Where(r => r.DistrictCode == d).Sum(r => r.Symptomatic),
                onDay.Where(r => r.DistrictCode == d).Sum(r => r.Exposed)))
            .OrderByDescending(d => d.OnDay).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
        var series = Enumerable.Range(0, ChartDays).Select(i => first.AddDays(i))
            .Select(d => new DeclarationDayFigures(d, recent.Where(r => r.Day == d).Sum(r => r.People), recent.Where(r => r.Day == d).Sum(r => r.Symptomatic)))
            .ToList();

        var (from, to) = Window(reportDay, definition);
        var people = onDay.Sum(r => r.People);
        var peopleBefore = before.Sum(r => r.People);
        var symptomatic = onDay.Sum(r => r.Symptomatic);
        var symptomaticBefore = before.Sum(r => r.Symptomatic);
        var exposed = onDay.Sum(r => r.Exposed);
        var exposedBefore = before.Sum(r => r.Exposed);
        return TypedResults.Ok(new DeclarationFigures(
            reportDay,
            Name(definition),
            from,
            to,
            area.Unit,
            total,
            people,
            peopleBefore,
            people - peopleBefore,
            onDay.Sum(r => r.Submissions),
            new SymptomaticFigures(symptomatic, symptomaticBefore, symptomatic - symptomaticBefore, bySource),
            new ExposureFigures(exposed, exposedBefore, exposed - exposedBefore),
            byDistrict,
            series));
    }

    /// <summary>The instants a reporting day covers.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Window(DateOnly day, ReportingDay definition) => definition == ReportingDay.NoonToNoon
        ? (CityTime.StartOfDay(day).AddHours(-12), CityTime.StartOfDay(day).AddHours(12))
        : (CityTime.StartOfDay(day), CityTime.StartOfDay(day.AddDays(1)));
}
