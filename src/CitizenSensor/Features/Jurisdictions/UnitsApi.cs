using System.ComponentModel;
using CitizenSensor.Data;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Jurisdictions;

public sealed record UnitLink(string Code, string Name);

public sealed record UnitSummary(string Code, string Name, string Type, int Level, UnitLink? Parent);

public sealed record UnitDetail(string Code, string Name, string Type, int Level, UnitLink? Parent, IReadOnlyList<UnitLink> Ancestors, IReadOnlyList<UnitSummary> Children, bool HasBoundary);

public sealed record PointResolutionResponse(UnitLink Province, UnitLink District);

public sealed record AddressMatchResponse(UnitLink? Province, UnitLink District, UnitLink? Ward);

/// <summary>The public units API: search, details, point → unit and address → unit.</summary>
public static class UnitsApi
{
    public const int MaxResults = 100;

    public static RouteGroupBuilder MapUnitsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/units").WithTags("Units");
        group.MapGet("/", Search).WithSummary("Search units by name, diacritics-insensitive");
        group.MapGet("/resolve", Resolve).WithSummary("The province and district that contain a point");
        group.MapGet("/match", MatchAddress).WithSummary("The ward, district and province named in an address");
        group.MapGet("/{code}", Get).WithSummary("A unit with its parent chain and children");
        group.MapGet("/{code}/map", Map).WithSummary("GeoJSON boundaries of a unit's children (simplified for display)")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json");
        return group;
    }

    internal static async Task<Results<Ok<List<UnitSummary>>, ValidationProblem>> Search(
        CitizenDb db,
        [Description("Text to look for: \"go vap\", \"Q. Gò Vấp\", \"phuong ben nghe\"")] string? q,
        [Description("Only children of this unit")] string? parent,
        [Description("Only this level (1 = province)")] int? level,
        int? limit,
        CancellationToken cancellationToken)
    {
        var take = limit ?? 20;
        if (take is < 1 or > MaxResults)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"'limit' must be between 1 and {MaxResults}."] });
        }

        var query = db.Units.AsNoTracking();
        if (parent is not null)
        {
            query = query.Where(u => u.ParentCode == parent);
        }

        if (level is not null)
        {
            query = query.Where(u => u.Level == level);
        }

        query = UnitSearch.Matching(query, q);
        if (VietnameseText.Tokens(q).Length == 0 && parent is null && level is null)
        {
            query = query.Where(u => u.Level == 1);
        }

        var rows = await query
            .OrderBy(u => u.Level).ThenBy(u => u.SearchName.Length).ThenBy(u => u.SearchName)
            .Take(take)
            .Select(u => new UnitSummary(u.Code, u.Name, u.Type, u.Level, u.Parent == null ? null : new UnitLink(u.Parent.Code, u.Parent.Name)))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows);
    }

    internal static async Task<Results<Ok<UnitDetail>, ProblemHttpResult>> Get(string code, CitizenDb db, CancellationToken cancellationToken)
    {
        var unit = await db.Units.AsNoTracking()
            .Where(u => u.Code == code)
            .Select(u => new { u.Code, u.Name, u.Type, u.Level, u.UnitPath, HasBoundary = u.Boundary != null })
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
            .Where(u => u.ParentCode == code)
            .OrderBy(u => u.Code)
            .Select(u => new UnitSummary(u.Code, u.Name, u.Type, u.Level, new UnitLink(unit.Code, unit.Name)))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new UnitDetail(unit.Code, unit.Name, unit.Type, unit.Level, ancestors.LastOrDefault(), ancestors, children, unit.HasBoundary));
    }

    internal static async Task<Results<Ok<PointResolutionResponse>, ValidationProblem, ProblemHttpResult>> Resolve(
        [Description("Latitude, WGS 84 decimal degrees")] string? lat,
        [Description("Longitude, WGS 84 decimal degrees")] string? lng,
        JurisdictionCatalog catalog)
    {
        if (!GeoPoint.TryParse(lat, lng, out var point, out var errors))
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid coordinates");
        }

        var snapshot = await catalog.GetAsync();
        var result = snapshot.Points.Resolve(point.Latitude, point.Longitude);
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
                });
        }

        return TypedResults.Ok(new PointResolutionResponse(Link(result.Province!), Link(result.Unit!)));
    }

    internal static async Task<Results<Ok<AddressMatchResponse>, ValidationProblem, ProblemHttpResult>> MatchAddress(
        [Description("Free-text address: \"phuong Ben Nghe, quan 1\"")] string? address,
        JurisdictionCatalog catalog)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Length > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["address"] = ["'address' is required, at most 500 characters."] });
        }

        var snapshot = await catalog.GetAsync();
        var match = snapshot.Addresses.Match(address);
        if (!match.Matched)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No unit recognised in the address", detail: match.Reason,
                extensions: new Dictionary<string, object?> { ["candidates"] = match.Candidates });
        }

        return TypedResults.Ok(new AddressMatchResponse(
            match.Province is null ? null : Link(match.Province), Link(match.District!), match.Ward is null ? null : Link(match.Ward)));
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Map(string code, CitizenDb db, JurisdictionCatalog catalog, HttpContext http, CancellationToken cancellationToken)
    {
        var units = await db.Units.AsNoTracking()
            .Where(u => u.Code == code || u.ParentCode == code)
            .Select(u => new { u.Code, u.Name })
            .ToListAsync(cancellationToken);
        if (!units.Any(u => u.Code == code))
        {
            return UnitNotFound(code);
        }

        var snapshot = await catalog.GetAsync();
        var children = units.Where(u => u.Code != code && snapshot.MapBoundaries.ContainsKey(u.Code)).ToList();
        var shown = children.Count > 0 ? children : units.Where(u => snapshot.MapBoundaries.ContainsKey(u.Code)).ToList();

        using var buffer = new MemoryStream();
        await using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            GeoJson.WriteFeatureCollection(writer, shown.Select(u => (u.Code, u.Name, snapshot.MapBoundaries[u.Code])));
        }

        http.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.File(buffer.ToArray(), "application/geo+json");
    }

    internal static ProblemHttpResult UnitNotFound(string code) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unit not found", detail: $"There is no unit with code '{code}'.");

    private static UnitLink Link(UnitRef unit) => new(unit.Code, unit.Name);

    private static string ReasonCode(ResolutionFailure failure) => failure switch
    {
        ResolutionFailure.OutsideEveryCity => "outside-every-city",
        ResolutionFailure.InNoUnit => "in-no-unit",
        ResolutionFailure.Ambiguous => "ambiguous",
        _ => "none",
    };
}
