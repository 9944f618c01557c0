using System.Security.Claims;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Venues;

/// <summary>What a registration returns. The manage key is shown once: only its hash is kept.</summary>
public sealed record RegisteredVenue(string Code, string CheckInUrl, string QrPngUrl, string QrSvgUrl, string PosterUrl, string ManageKey, string ManageUrl)
{
    /// <summary>What the owner is told once: the venue's public links and the manage key and link.</summary>
    public static RegisteredVenue Of(NewVenue registered, PublicSite site)
    {
        var (code, key) = (registered.Venue.Code, registered.ManageKey);
        var urls = VenueUrls.For(site, code);
        return new(code, urls.CheckIn, urls.QrPng, urls.QrSvg, urls.Poster, key, urls.Manage(key));
    }
}

public sealed record PublicVenue(string Code, string Name, string Kind, string Address, string WardCode, string WardName, string DistrictName, bool Open, string CheckInUrl);

public sealed record StaffVenue(
    string Code, string Name, string Kind, string Address, string WardCode, string DistrictCode, double? Lat, double? Lng,
    string OwnerName, string OwnerPhone, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? ClosedAt, int Version);

public sealed record VenuePage(int Total, IReadOnlyList<StaffVenue> Items);

/// <summary>
/// QR locations. Businesses register themselves (public, rate limited per client address) or ward officers register
/// them; owners edit or close theirs with the key they got at registration (header <c>X-Venue-Key</c>); officers see
/// and manage the venues of their units. Owner contacts are personal data: every staff view is audited.
/// </summary>
public static class VenuesApi
{
    public const string KeyHeader = "X-Venue-Key";

    public static IEndpointRouteBuilder MapVenuesApi(this IEndpointRouteBuilder routes)
    {
        var open = routes.MapGroup("/api/v1/venues").WithTags("Venues");
        open.MapPost("/", Register).RequireRateLimiting(PublicLimits.VenueRegistrations).WithSummary("Register a venue: its QR code, poster and the owner's manage key");
        open.MapGet("/{code}", Get).WithSummary("A venue as residents see it");
        open.MapPatch("/{code}", OwnerEdit).WithSummary("Edit a venue (owner, with X-Venue-Key)");
        open.MapPost("/{code}/close", OwnerClose).WithSummary("Close a venue: no more check-ins (owner, with X-Venue-Key)");
        open.MapGet("/{code}/qr.png", QrPng).WithSummary("The venue's QR code (PNG); it encodes the check-in URL");
        open.MapGet("/{code}/qr.svg", QrSvg).WithSummary("The venue's QR code (SVG)");

        var staff = routes.MapGroup("/api/v1/staff/venues").WithTags("Venues")
            .RequireAuthorization(p => p.RequireRole(StaffRoles.Admin, StaffRoles.UnitOfficer)).RequireUnitScope();
        staff.MapGet("/", List).WithSummary("The venues of your units, with owner contacts (audited)");
        staff.MapGet("/{code}", StaffGet).WithSummary("A venue with its owner's contact (audited)");
        staff.MapPatch("/{code}", StaffEdit).WithSummary("Edit a venue of your units");
        staff.MapPost("/{code}/close", StaffClose).WithSummary("Close a venue of your units");
        staff.MapPost("/{code}/reopen", StaffReopen).WithSummary("Reopen a closed venue of your units");
        return routes;
    }

    /// <summary>Registers a venue: the public (rate limited per client address: PublicLimits), or a manager in their own units.</summary>
    internal static async Task<Results<Created<RegisteredVenue>, ProblemHttpResult, ValidationProblem>> Register(
        VenueRequest request, VenueDesk desk, HttpContext http, CancellationToken cancellationToken)
    {
        var actor = StaffActor.From(http.User);
        return (await desk.RegisterAsync(actor, request, cancellationToken)).ToApi(
            registered => TypedResults.Created($"/api/v1/venues/{registered.Venue.Code}", RegisteredVenue.Of(registered, PublicSite.Of(http))),
            "The venue cannot be registered");
    }

    internal static async Task<Results<Ok<PublicVenue>, ProblemHttpResult>> Get(string code, CitizenDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var venue = await FindAsync(db, code, cancellationToken);
        if (venue is null)
        {
            return NotFound(code);
        }

        var ward = await VenueRules.StoredWardAsync(db, venue.WardCode, cancellationToken);
        return TypedResults.Ok(new PublicVenue(venue.Code, venue.Name, venue.Kind, venue.Address, venue.WardCode, ward?.Name ?? venue.WardCode,
            ward?.DistrictName ?? venue.DistrictCode, venue.IsOpen, VenueUrls.For(PublicSite.Of(http), venue.Code).CheckIn));
    }

    internal static async Task<Results<Ok<StaffVenue>, ProblemHttpResult, ValidationProblem>> OwnerEdit(
        string code, VenueRequest request, [FromHeader(Name = KeyHeader)] string? key, VenueDesk desk, CancellationToken cancellationToken) =>
        (await desk.OwnerEditAsync(code, key, request, cancellationToken)).ToApi(TypedResults.Ok, "The venue cannot be changed");

    internal static async Task<Results<Ok<StaffVenue>, ProblemHttpResult, ValidationProblem>> OwnerClose(
        string code, [FromHeader(Name = KeyHeader)] string? key, VenueDesk desk, CancellationToken cancellationToken) =>
        (await desk.OwnerCloseAsync(code, key, cancellationToken)).ToApi(TypedResults.Ok, "The venue cannot be closed");

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> QrPng(string code, CitizenDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var venue = await FindAsync(db, code, cancellationToken);
        return venue is null ? NotFound(code) : TypedResults.File(VenueQr.Png(VenueUrls.For(PublicSite.Of(http), venue.Code).CheckIn), "image/png", $"qr-{venue.Code}.png");
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> QrSvg(string code, CitizenDb db, HttpContext http, CancellationToken cancellationToken)
    {
        var venue = await FindAsync(db, code, cancellationToken);
        return venue is null ? NotFound(code) : TypedResults.Content(VenueQr.Svg(VenueUrls.For(PublicSite.Of(http), venue.Code).CheckIn), "image/svg+xml");
    }

    internal static async Task<Results<Ok<VenuePage>, ValidationProblem>> List(
        string? ward, string? status, string? q, int? page, int? pageSize, CitizenDb db, Auditor audit, PersonalData personal, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (status is not (null or "open" or "closed" or "all") || page < 1 || pageSize is < 1 or > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["query"] = ["'status' is open, closed or all; 'page' starts at 1; 'pageSize' is 1 to 500."],
            });
        }

        var query = db.Venues.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(ward))
        {
            query = query.Where(v => v.WardCode == ward);
        }

        query = status switch
        {
            "closed" => query.Where(v => v.ClosedAt != null),
            "all" => query,
            _ => query.Where(v => v.ClosedAt == null),
        };
        if (!string.IsNullOrWhiteSpace(q))
        {
            var folded = VietnameseText.Fold(q);
            var code = Venue.NormalizeCode(q);
            query = query.Where(v => v.SearchText.Contains(folded) || v.Code == code);
        }

        var total = await query.CountAsync(cancellationToken);
        var size = pageSize ?? 50;
        var venues = await query.OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id).Skip(((page ?? 1) - 1) * size).Take(size).ToListAsync(cancellationToken);
        if (venues.Count > 0)
        {
            audit.Record(StaffActor.From(user), "view-venue-owners", "venue", $"{venues.Count} venues", null, new { ward, status, q, page });
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.Ok(new VenuePage(total, venues.Select(v => View(v, personal)).ToList()));
    }

    internal static async Task<Results<Ok<StaffVenue>, ProblemHttpResult>> StaffGet(string code, CitizenDb db, Auditor audit, PersonalData personal, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var venue = await FindAsync(db, code, cancellationToken);
        if (venue is null)
        {
            return NotFound(code);
        }

        audit.Record(StaffActor.From(user), "view-venue-owner", "venue", venue.Code, null, null);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(venue, personal));
    }

    internal static async Task<Results<Ok<StaffVenue>, ProblemHttpResult, ValidationProblem>> StaffEdit(
        string code, VenueRequest request, VenueDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await desk.EditAsync(StaffActor.From(user), code, request, cancellationToken)).ToApi(TypedResults.Ok, "The venue cannot be changed");

    internal static async Task<Results<Ok<StaffVenue>, ProblemHttpResult, ValidationProblem>> StaffClose(string code, VenueDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await desk.CloseAsync(StaffActor.From(user), code, cancellationToken)).ToApi(TypedResults.Ok, "The venue cannot be closed");

    internal static async Task<Results<Ok<StaffVenue>, ProblemHttpResult, ValidationProblem>> StaffReopen(string code, VenueDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await desk.ReopenAsync(StaffActor.From(user), code, cancellationToken)).ToApi(TypedResults.Ok, "The venue cannot be reopened");

    public static Task<Venue?> FindAsync(CitizenDb db, string? code, CancellationToken cancellationToken) =>
        Venue.NormalizeCode(code) is { } normalized ? db.Venues.SingleOrDefaultAsync(v => v.Code == normalized, cancellationToken) : Task.FromResult<Venue?>(null);

    /// <summary>The staff view of a venue, with the owner's contact opened: the caller audits the access.</summary>
    public static StaffVenue View(Venue v, PersonalData personal) =>
        new(v.Code, v.Name, v.Kind, v.Address, v.WardCode, v.DistrictCode, v.Lat, v.Lng, personal.Decrypt(v.SealedOwnerName), personal.Decrypt(v.SealedOwnerPhone), v.CreatedAt, v.CreatedBy, v.ClosedAt, v.Version);

    private static ProblemHttpResult NotFound(string code) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Venue not found", detail: $"There is no venue '{PlainText.Shorten(code, 20)}'.");
}

/// <summary>The public addresses of a venue's pages and images.</summary>
public sealed record VenueUrls(string CheckIn, string QrPng, string QrSvg, string Poster, string Base, string Code)
{
    /// <summary>The image of a resident's personal QR, at the portal's public address (never the request's Host header).</summary>
    public static string PassQr(PublicSite site, string pass) => site.Link($"/api/v1/checkins/passes/{Uri.EscapeDataString(pass)}/qr.png");

    public static VenueUrls For(PublicSite site, string code)
    {
        var root = site.BaseUrl;
        return new($"{root}/v/{code}", $"{root}/api/v1/venues/{code}/qr.png", $"{root}/api/v1/venues/{code}/qr.svg", $"{root}/venues/{code}/poster", root, code);
    }

    /// <summary>The owner's page; the key travels in the fragment, which browsers do not send to servers or in Referer.</summary>
    public string Manage(string key) => $"{Base}/venues/{Code}/manage#key={Uri.EscapeDataString(key)}";
}
