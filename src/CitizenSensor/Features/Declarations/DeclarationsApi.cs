using System.Security.Claims;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Venues;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Declarations;

public sealed record DeclarationAccepted(long Id, int Version, string PersonalQrUrl, DateTimeOffset PassExpiresAt);

public sealed record DeclarationBatch(List<DeclarationRequest?>? Items);

public sealed record DeclarationBatchItem(int Index, string Status, long? Id, IDictionary<string, string[]>? Errors);

public sealed record DeclarationBatchOutcome(int Accepted, int Rejected, IReadOnlyList<DeclarationBatchItem> Results);

/// <summary>A declaration as a health officer sees it: the citizen ID masked, the rest in full.</summary>
public sealed record DeclarationView(
    long Id, int QuestionnaireVersion, DateTimeOffset At, int Version, string Source, string WardCode, string DistrictCode,
    string FullName, int BirthYear, string? Gender, string Phone, string? CitizenId, string? Address,
    IReadOnlyList<VisitedPlace> PlacesVisited, IReadOnlyList<string> Symptoms, IReadOnlyList<string> Exposures, string? ChronicConditions,
    IReadOnlyDictionary<string, System.Text.Json.JsonElement> Answers);

/// <summary>
/// Electronic health declarations: from residents' apps (<c>source</c> "app"), partner systems (their key in
/// <see cref="PartnerKeys.Header"/>, counted under their source name) and the web form ("web", see the page). Acknowledged
/// once committed (<see cref="DeclarationWriter"/>). Health officers and admins read them in their units, each reading
/// audited with its reason.
/// </summary>
public static class DeclarationsApi
{
    public const int MinReason = AccessReason.Min;
    public const int MaxReason = AccessReason.Max;
    internal static readonly string[] HealthRoles = [StaffRoles.Admin, StaffRoles.HealthOfficer];

    public static IEndpointRouteBuilder MapDeclarationsApi(this IEndpointRouteBuilder routes)
    {
        var open = routes.MapGroup("/api/v1/declarations").WithTags("Health declarations");
        open.MapPost("/", Declare).RequireRateLimiting(PublicLimits.Declarations).WithSummary("Declare (apps; partners with their key): 201 with the id and the personal QR").DisableValidation();
        open.MapPost("/batch", DeclareMany).RequireRateLimiting(PublicLimits.Declarations).WithSummary("Partner systems: up to Declarations:MaxBatch declarations at once, each accepted or rejected with the reasons").DisableValidation();

        var staff = routes.MapGroup("/api/v1/declarations").WithTags("Health declarations")
            .RequireAuthorization(p => p.RequireRole(HealthRoles)).RequireUnitScope();
        staff.MapGet("/{id:long}", Read).WithSummary("A declaration in your units, in full (citizen ID masked); say why in 'reason' (audited)");
        staff.MapGet("/{id:long}/fhir", ReadFhir).WithSummary("The same as an HL7 FHIR R4 QuestionnaireResponse (audited)");
        return routes;
    }

    /// <summary>The source a request declares under, or the problem with it.</summary>
    internal static async Task<(string? Source, IResult? Problem)> SourceAsync(HttpContext http, string? requested, PartnerKeys partners, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        if (http.Request.Headers[PartnerKeys.Header].ToString() is { Length: > 0 } key)
        {
            return await partners.FindAsync(key, cancellationToken) is { } partner
                ? (partner.Source, null)
                : (null, TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: text["DeclNotRecorded"], detail: text["DeclPartnerKey"]));
        }

        var source = requested?.Trim().ToLowerInvariant();
        return source is null or "" or "app"
            ? ("app", null)
            : (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["source"] = [text["DeclSource", Infrastructure.PlainText.Shorten(source, 40)]] }, title: text["DeclNotRecorded"]));
    }

    internal static async Task<IResult> Declare(
        DeclarationRequest request, HttpContext http, DeclarationDesk desk, DeclarationWriter writer, PartnerKeys partners,
        IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        var (source, problem) = await SourceAsync(http, request.Source, partners, text, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (item, payload, errors, limited) = await desk.PrepareAsync(request, source!, cancellationToken);
        if (limited is not null)
        {
            limited.Tell(http.Response);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: text["DeclNotRecorded"], detail: errors["phone"][0]);
        }

        if (item is null)
        {
            return TypedResults.ValidationProblem(errors, title: text["DeclNotRecorded"]);
        }

        var stored = (await writer.WriteAsync([item], cancellationToken))[0];
        var (pass, expires) = desk.IssuePass(payload!);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created((string?)null, new DeclarationAccepted(stored.Id, stored.Version, VenueUrls.PassQr(PublicSite.Of(http), pass), expires));
    }

    internal static async Task<IResult> DeclareMany(
        DeclarationBatch batch, HttpContext http, DeclarationDesk desk, DeclarationWriter writer, PartnerKeys partners, DeclarationOptions options,
        IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        if (http.Request.Headers[PartnerKeys.Header].Count == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: text["DeclNotRecorded"], detail: text["DeclPartnerKey"]);
        }

        var (source, problem) = await SourceAsync(http, null, partners, text, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (batch.Items is not { Count: > 0 } requests || requests.Count > options.MaxBatch)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["items"] = [text["DeclTooMany", "items", options.MaxBatch]] }, title: text["DeclNotRecorded"]);
        }

        var results = new DeclarationBatchItem[requests.Count];
        var accepted = new List<(int Index, NewDeclaration Item)>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            // A phone over its limit: that item is refused ("limited"), the others kept, and the answer says when to retry.
            var (item, _, errors, limited) = await desk.PrepareAsync(requests[i] ?? new DeclarationRequest(), source!, cancellationToken);
            if (item is null)
            {
                limited?.Tell(http.Response);
                results[i] = new DeclarationBatchItem(i, limited is null ? "rejected" : "limited", null, errors);
            }
            else
            {
                accepted.Add((i, item));
            }
        }

        var stored = await writer.WriteAsync([.. accepted.Select(a => a.Item)], cancellationToken);
        for (var j = 0; j < accepted.Count; j++)
        {
            results[accepted[j].Index] = new DeclarationBatchItem(accepted[j].Index, "accepted", stored[j].Id, null);
        }

        return TypedResults.Ok(new DeclarationBatchOutcome(accepted.Count, requests.Count - accepted.Count, results));
    }

    /// <summary>The reason a staff member gives for opening a person's data, or the problem with it.</summary>
    internal static ValidationProblem? CheckReason(string? reason) =>
        AccessReason.Problem(reason) is { } problem
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = [problem] })
            : null;

    internal static async Task<Results<Ok<DeclarationView>, ValidationProblem, NotFound>> Read(
        long id, string? reason, CitizenDb db, PersonalData protection, Auditor audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (CheckReason(reason) is { } problem)
        {
            return problem;
        }

        var declaration = await db.Set<Declaration>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (declaration is null)
        {
            return TypedResults.NotFound();
        }

        audit.Record(StaffActor.From(user), "view-declaration", "declaration", id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, new { reason = reason!.Trim() });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(declaration, DeclarationPayload.Open(protection, declaration.Payload)));
    }

    internal static async Task<Results<JsonHttpResult<object>, ValidationProblem, NotFound>> ReadFhir(
        long id, string? reason, HttpContext http, ClaimsPrincipal user, CitizenDb db, PersonalData protection, Questionnaires questionnaires, Auditor audit, CancellationToken cancellationToken)
    {
        if (CheckReason(reason) is { } problem)
        {
            return problem;
        }

        var declaration = await db.Set<Declaration>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (declaration is null || await questionnaires.VersionAsync(declaration.QuestionnaireVersion, cancellationToken) is not { } questionnaire)
        {
            return TypedResults.NotFound();
        }

        audit.Record(StaffActor.From(user), "export-declaration", "declaration", id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, new { reason = reason!.Trim(), format = "fhir" });
        await db.SaveChangesAsync(cancellationToken);
        var payload = DeclarationPayload.Open(protection, declaration.Payload);
        return TypedResults.Json(Fhir.Response(questionnaire, declaration, payload, Fhir.BaseOf(http)), Fhir.Json, Fhir.ContentType);
    }

    internal static DeclarationView View(Declaration d, DeclarationPayload p) => new(
        d.Id, d.QuestionnaireVersion, d.At, d.Version, d.Source, d.WardCode, d.DistrictCode, p.FullName, p.BirthYear, p.Gender, p.Phone,
        DeclarationPayload.Mask(p.CitizenId), p.Address, p.PlacesVisited, p.Symptoms, p.Exposures, p.ChronicConditions, p.Answers);
}
