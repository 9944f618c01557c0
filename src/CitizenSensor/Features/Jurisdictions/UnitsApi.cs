using System.ComponentModel;
using CitizenSensor.Data;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>A unit named in an answer: its key (<c>code</c>, what the other calls take) and its name.</summary>
public sealed record UnitLink(string Code, string Name);

/// <summary>A unit set as answers show it: the reform and the days its units apply.</summary>
public sealed record UnitSetSummary(string Id, string Name, DateOnly? ValidFrom, DateOnly? ValidTo)
{
    public static UnitSetSummary Of(UnitSetInfo set) => new(set.Id, set.Name, set.ValidFrom, set.ValidTo);
}

/// <summary>
/// A unit in an answer: <c>code</c> is its key (the GSO code for the 2021 units, "26740@2025" after), <c>gsoCode</c>
/// the code the General Statistics Office gives it, <c>set</c> its reform, <c>type</c> its kind in words ("Phường",
/// "Quận") and <c>level</c> its depth in that set (1 = the city).
/// </summary>
public sealed record UnitSummary(string Code, string Name, string Type, int Level, UnitLink? Parent, string GsoCode, string Set);

public sealed record UnitDetail(string Code, string Name, string Type, int Level, UnitLink? Parent, IReadOnlyList<UnitLink> Ancestors, IReadOnlyList<UnitSummary> Children, bool HasBoundary,
    string GsoCode, UnitSetSummary Set, IReadOnlyList<UnitOfSet> Successors, IReadOnlyList<UnitOfSet> Predecessors);

/// <summary>A unit of another set (a successor or a predecessor), with its set: a 2021 code alone names today's unit of that code.</summary>
public sealed record UnitOfSet(string Code, string Name, string GsoCode, string Set)
{
    public static UnitOfSet Of(UnitRef unit) => new(unit.Code, unit.Name, unit.GsoCode, unit.SetId);
}

/// <summary>One unit of an answer's line, from the city down, with its kind and depth.</summary>
public sealed record UnitStep(string Code, string GsoCode, string Name, string Type, int Level)
{
    public static UnitStep Of(UnitRef unit) => new(unit.Code, unit.GsoCode, unit.Name, unit.Type, unit.Level);
}

/// <param name="Set">The set the answer is in (the one valid on the day asked).</param>
/// <param name="Province">The city.</param>
/// <param name="Unit">The unit that handles the point: a district in the 2021 units, a commune in the 2025 ones.</param>
/// <param name="Units">The city down to that unit, each with its kind and depth.</param>
public sealed record PointResolutionResponse(UnitSetSummary Set, UnitLink Province, UnitLink Unit, IReadOnlyList<UnitStep> Units);

/// <param name="Set">The set the answer is in (the one valid on the day asked).</param>
/// <param name="Province">The city.</param>
/// <param name="Unit">The unit that handles the address.</param>
/// <param name="Units">The city down to the deepest unit the address names, each with its kind and depth.</param>
/// <param name="Named">When the address was written in an earlier reform's units: the old unit it named.</param>
public sealed record AddressMatchResponse(UnitSetSummary Set, UnitLink? Province, UnitLink Unit, IReadOnlyList<UnitStep> Units, UnitSummary? Named);

/// <summary>
/// The public units API: search, details, point → unit and address → unit. Every call takes the day it is about
/// (<c>at</c>, default today) or a set (<c>set</c>): a unit's code names the unit of that day's set, so "26740" is
/// Phường Bến Nghé on 2021-09-23 and Phường Sài Gòn today; a key ("26740@2025") names one unit whatever the day.
/// </summary>
public static class UnitsApi
{
    public const int MaxResults = 100;

    public static RouteGroupBuilder MapUnitsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/units").WithTags("Units");
        group.MapGet("/", Search).WithSummary("Search units by name, diacritics-insensitive, in the units of a day or set");
        group.MapGet("/sets", Sets).WithSummary("The unit sets (reforms) and the days each applies");
        group.MapGet("/resolve", Resolve).WithSummary("The city and the unit that handles a point, in the units of a day");
        group.MapGet("/match", MatchAddress).WithSummary("The units named in an address, in today's units (old names too)");
        group.MapGet("/{code}", Get).WithSummary("A unit with its parent chain, children, set and successions");
        group.MapGet("/{code}/map", Map).WithSummary("GeoJSON boundaries of a unit's children (simplified for display)")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json");
        return group;
    }

    internal static async Task<Ok<List<UnitSetSummary>>> Sets(JurisdictionCatalog catalog) =>
        TypedResults.Ok((await catalog.GetAsync()).Sets.Select(s => UnitSetSummary.Of(s.Set)).ToList());

    internal static async Task<Results<Ok<List<UnitSummary>>, ValidationProblem>> Search(
        CitizenDb db, JurisdictionCatalog catalog, TimeProvider time,
        [Description("Text to look for: \"go vap\", \"Q. Gò Vấp\", \"phuong ben nghe\"")] string? q,
        [Description("Only children of this unit")] string? parent,
        [Description("Only this depth in the set (1 = city)")] int? level,
        [Description("The day whose units to search (YYYY-MM-DD), default today")] string? at,
        [Description("The set to search (\"2021\", \"2025\"), instead of a day")] string? set,
        int? limit,
        CancellationToken cancellationToken)
    {
        var take = limit ?? 20;
        if (take is < 1 or > MaxResults)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"'limit' must be between 1 and {MaxResults}."] });
        }

        if (await SetOfAsync(catalog, time, at, set) is not { } chosen)
        {
            return SetProblem(at, set);
        }

        var query = db.Units.AsNoTracking().Where(u => u.SetId == chosen.Id);
        if (parent is not null)
        {
            var parentKey = await FindKeyAsync(db, catalog, time, parent, chosen.Id, null, cancellationToken) ?? parent;
            query = query.Where(u => u.ParentCode == parentKey);
        }

        if (level is not null)
        {
            query = query.Where(u => u.Level == level);
        }

        query = UnitSearch.Matching(query, q);
        if (VietnameseText.Tokens(q).Length == 0 && parent is null && level is null)
        {
            query = query.Where(u => u.ParentCode == null);
        }

        var rows = await query
            .OrderBy(u => u.Level).ThenBy(u => u.SearchName.Length).ThenBy(u => u.SearchName)
            .Take(take)
            .Select(u => new UnitSummary(u.Code, u.Name, u.Type, u.Level, u.Parent == null ? null : new UnitLink(u.Parent.Code, u.Parent.Name), u.GsoCode, u.SetId))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows);
    }

    internal static async Task<Results<Ok<UnitDetail>, ProblemHttpResult>> Get(string code, CitizenDb db, JurisdictionCatalog catalog, TimeProvider time,
        [Description("The day whose units the code names (YYYY-MM-DD), default today")] string? at,
        [Description("The set the code belongs to (\"2021\", \"2025\")")] string? set,
        CancellationToken cancellationToken)
    {
        var key = await FindKeyAsync(db, catalog, time, code, set, at, cancellationToken);
        var unit = key is null ? null : await db.Units.AsNoTracking()
            .Where(u => u.Code == key)
            .Select(u => new { u.Code, u.GsoCode, u.SetId, u.Name, u.Type, u.Level, u.UnitPath, HasBoundary = u.Boundary != null })
            .SingleOrDefaultAsync(cancellationToken);
        if (unit is null)
        {
            return UnitNotFound(code);
        }

        var ancestorCodes = unit.UnitPath.Split('/', StringSplitOptions.RemoveEmptyEntries)[..^1];
        var ancestors = await db.Units.AsNoTracking()
            .Where(u => ancestorCodes.Contains(u.Code))
            .OrderBy(u => u.Level)
            .Select(u => new UnitLink(u.Code, u.Name))
            .ToListAsync(cancellationToken);
        var children = await db.Units.AsNoTracking()
            .Where(u => u.ParentCode == unit.Code)
            .OrderBy(u => u.Code)
            .Select(u => new UnitSummary(u.Code, u.Name, u.Type, u.Level, new UnitLink(unit.Code, unit.Name), u.GsoCode, u.SetId))
            .ToListAsync(cancellationToken);
        var snapshot = await catalog.GetAsync();
        var unitSet = snapshot.ById(unit.SetId)?.Set ?? new UnitSetInfo(unit.SetId, unit.SetId, null, null, 0);
        return TypedResults.Ok(new UnitDetail(unit.Code, unit.Name, unit.Type, unit.Level, ancestors.LastOrDefault(), ancestors, children, unit.HasBoundary,
            unit.GsoCode, UnitSetSummary.Of(unitSet),
            [.. snapshot.Successions.Successors(unit.Code).Select(UnitOfSet.Of)], [.. snapshot.Successions.Predecessors(unit.Code).Select(UnitOfSet.Of)]));
    }

    internal static async Task<Results<Ok<PointResolutionResponse>, ValidationProblem, ProblemHttpResult>> Resolve(
        [Description("Latitude, WGS 84 decimal degrees")] string? lat,
        [Description("Longitude, WGS 84 decimal degrees")] string? lng,
        [Description("The day whose units to answer in (YYYY-MM-DD: 2021-09-23 gives the 2021 district), default today")] string? at,
        JurisdictionCatalog catalog, TimeProvider time)
    {
        if (!GeoPoint.TryParse(lat, lng, out var point, out var errors))
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid coordinates");
        }

        if (!TryDay(at, time, out var day))
        {
            return SetProblem(at, null);
        }

        var view = (await catalog.GetAsync()).At(day);
        var result = view.Points.Resolve(point.Latitude, point.Longitude);
        if (!result.Resolved)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No unit for this point",
                detail: result.Reason,
                extensions: new Dictionary<string, object?>
                {
                    ["reason"] = ReasonCode(result.Failure),
                    ["province"] = result.Province is null ? null : Link(result.Province),
                    ["candidates"] = result.Candidates.Select(Link).ToList(),
                    ["set"] = UnitSetSummary.Of(view.Set),
                });
        }

        return TypedResults.Ok(new PointResolutionResponse(UnitSetSummary.Of(view.Set), Link(result.Province!), Link(result.Unit!),
            [.. view.Addresses.LineOf(result.Unit!).Select(UnitStep.Of)]));
    }

    internal static async Task<Results<Ok<AddressMatchResponse>, ValidationProblem, ProblemHttpResult>> MatchAddress(
        [Description("Free-text address: \"phuong Ben Nghe, quan 1\", \"P.12, Q. Gò Vấp\"")] string? address,
        [Description("The day whose units to answer in (YYYY-MM-DD), default today")] string? at,
        JurisdictionCatalog catalog, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Length > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["address"] = ["'address' is required, at most 500 characters."] });
        }

        if (!TryDay(at, time, out var day))
        {
            return SetProblem(at, null);
        }

        var snapshot = await catalog.GetAsync();
        var view = snapshot.At(day);
        var match = snapshot.MatchAddress(address, day);
        var named = match.Named is { } old ? new UnitSummary(old.Code, old.Name, old.Type, old.Level, null, old.GsoCode, old.SetId) : null;
        if (!match.Matched)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No unit recognised in the address", detail: match.Reason,
                extensions: new Dictionary<string, object?> { ["candidates"] = match.Candidates, ["named"] = named, ["set"] = UnitSetSummary.Of(view.Set) });
        }

        return TypedResults.Ok(new AddressMatchResponse(UnitSetSummary.Of(view.Set),
            match.Province is null ? null : Link(match.Province), Link(match.District!),
            [.. view.Addresses.LineOf(match.Ward ?? match.District!).Select(UnitStep.Of)], named));
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Map(string code, CitizenDb db, JurisdictionCatalog catalog, TimeProvider time, HttpContext http,
        string? at, string? set, CancellationToken cancellationToken)
    {
        var key = await FindKeyAsync(db, catalog, time, code, set, at, cancellationToken);
        var units = key is null ? [] : await db.Units.AsNoTracking()
            .Where(u => u.Code == key || u.ParentCode == key)
            .Select(u => new { u.Code, u.Name })
            .ToListAsync(cancellationToken);
        if (!units.Any(u => u.Code == key))
        {
            return UnitNotFound(code);
        }

        var snapshot = await catalog.GetAsync();
        var children = units.Where(u => u.Code != key && snapshot.MapBoundaries.ContainsKey(u.Code)).ToList();
        var shown = children.Count > 0 ? children : units.Where(u => snapshot.MapBoundaries.ContainsKey(u.Code)).ToList();

        using var buffer = new MemoryStream();
        await using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            GeoJson.WriteFeatureCollection(writer, shown.Select(u => (u.Code, u.Name, snapshot.MapBoundaries[u.Code])));
        }

        http.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.File(buffer.ToArray(), "application/geo+json");
    }

    /// <summary>
    /// The key of the unit a code names: in the set given; else a key as it is ("26740@2025"); else the GSO code in the
    /// set valid on the day (default today); else a key of an earlier set ("760", Quận 1 until 2025). Null when none.
    /// </summary>
    internal static async Task<string?> FindKeyAsync(CitizenDb db, JurisdictionCatalog catalog, TimeProvider time, string code, string? set, string? at, CancellationToken cancellationToken)
    {
        code = code.Trim();
        if (code.Length is 0 or > 16)
        {
            return null;
        }

        var units = db.Units.AsNoTracking();
        if (set is not null)
        {
            return await units.Where(u => u.SetId == set && (u.GsoCode == code || u.Code == code)).Select(u => u.Code).FirstOrDefaultAsync(cancellationToken);
        }

        if (!code.Contains('@', StringComparison.Ordinal) && TryDay(at, time, out var day))
        {
            var current = (await catalog.GetAsync()).At(day).Set.Id;
            if (await units.Where(u => u.SetId == current && u.GsoCode == code).Select(u => u.Code).FirstOrDefaultAsync(cancellationToken) is { } inSet)
            {
                return inSet;
            }
        }

        return await units.Where(u => u.Code == code).Select(u => u.Code).FirstOrDefaultAsync(cancellationToken);
    }

    private static async Task<UnitSetInfo?> SetOfAsync(JurisdictionCatalog catalog, TimeProvider time, string? at, string? set)
    {
        var snapshot = await catalog.GetAsync();
        if (set is not null)
        {
            return snapshot.ById(set)?.Set;
        }

        return TryDay(at, time, out var day) ? snapshot.At(day).Set : null;
    }

    private static bool TryDay(string? at, TimeProvider time, out DateOnly day)
    {
        if (string.IsNullOrWhiteSpace(at))
        {
            day = CityTime.DayOf(time.GetUtcNow());
            return true;
        }

        return DateOnly.TryParseExact(at.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out day)
            && day.Year is >= 1900 and <= 2200;
    }

    private static ValidationProblem SetProblem(string? at, string? set) => TypedResults.ValidationProblem(set is not null
        ? new Dictionary<string, string[]> { ["set"] = [$"There is no unit set '{PlainText.Shorten(set, 20)}' (GET /api/v1/units/sets lists them)."] }
        : new Dictionary<string, string[]> { ["at"] = ["'at' must be a day as YYYY-MM-DD, between 1900 and 2200."] });

    internal static ProblemHttpResult UnitNotFound(string code) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unit not found", detail: $"There is no unit with code '{PlainText.Shorten(code, 40)}'.");

    private static UnitLink Link(UnitRef unit) => new(unit.Code, unit.Name);

    private static string ReasonCode(ResolutionFailure failure) => failure switch
    {
        ResolutionFailure.OutsideEveryCity => "outside-every-city",
        ResolutionFailure.InNoUnit => "in-no-unit",
        ResolutionFailure.Ambiguous => "ambiguous",
        _ => "none",
    };
}
