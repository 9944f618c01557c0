using System.Security.Claims;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CitizenSensor.Features.Declarations;

public sealed record QuestionnaireEdit(Bilingual? Title, List<Question>? Questions);

public sealed record PartnerRequest(string? Name, string? Source);

public sealed record PartnerView(int Id, string Name, string Source, string KeyHint, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt);

public sealed record IssuedPartnerKey(int Id, string Name, string Source, string Key);

/// <summary>
/// The questionnaire: public to read (the form and apps render it), as JSON or as a FHIR R4 Questionnaire; Admin saves
/// a new version. Admin also issues and revokes partner keys. The rules are <see cref="QuestionnaireAdmin"/>'s.
/// </summary>
public static class QuestionnaireApi
{
    public static IEndpointRouteBuilder MapQuestionnaireApi(this IEndpointRouteBuilder routes)
    {
        var open = routes.MapGroup("/api/v1/questionnaire").WithTags("Health declarations");
        open.MapGet("/", Current).WithSummary("The current questionnaire (its questions in Vietnamese and English)");
        open.MapGet("/{version:int}", Version).WithSummary("A version of the questionnaire");
        open.MapGet("/fhir", CurrentFhir).WithSummary("The current questionnaire as an HL7 FHIR R4 Questionnaire");
        open.MapGet("/{version:int}/fhir", VersionFhir).WithSummary("A version as an HL7 FHIR R4 Questionnaire");

        var admin = routes.MapGroup("/api/v1").WithTags("Health declarations").RequireAuthorization();
        admin.MapPut("/questionnaire", Save).WithSummary("Save the questionnaire as a new version (Admin, audited)");
        admin.MapGet("/declaration-partners", Partners).WithSummary("Partner systems allowed to post declarations");
        admin.MapPost("/declaration-partners", IssuePartner).WithSummary("Add a partner system; its key is shown once (audited)");
        admin.MapDelete("/declaration-partners/{id:int}", RevokePartner).WithSummary("Revoke a partner's key (audited)");
        return routes;
    }

    internal static async Task<Ok<QuestionnaireVersion>> Current(Questionnaires questionnaires, CancellationToken cancellationToken) =>
        TypedResults.Ok(await questionnaires.CurrentAsync(cancellationToken));

    internal static async Task<Results<Ok<QuestionnaireVersion>, NotFound>> Version(int version, Questionnaires questionnaires, CancellationToken cancellationToken) =>
        await questionnaires.VersionAsync(version, cancellationToken) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound();

    internal static async Task<JsonHttpResult<object>> CurrentFhir(HttpContext http, Questionnaires questionnaires, CancellationToken cancellationToken) =>
        TypedResults.Json(Fhir.Questionnaire(await questionnaires.CurrentAsync(cancellationToken), Fhir.BaseOf(http)), Fhir.Json, Fhir.ContentType);

    internal static async Task<Results<JsonHttpResult<object>, NotFound>> VersionFhir(int version, HttpContext http, Questionnaires questionnaires, CancellationToken cancellationToken) =>
        await questionnaires.VersionAsync(version, cancellationToken) is { } found
            ? TypedResults.Json(Fhir.Questionnaire(found, Fhir.BaseOf(http)), Fhir.Json, Fhir.ContentType)
            : TypedResults.NotFound();

    internal static async Task<Results<Ok<QuestionnaireVersion>, ProblemHttpResult, ValidationProblem>> Save(
        QuestionnaireEdit edit, ClaimsPrincipal user, QuestionnaireAdmin admin, CancellationToken cancellationToken) =>
        (await admin.SaveAsync(StaffActor.From(user), edit, cancellationToken)).ToApi(TypedResults.Ok, "The questionnaire was not saved");

    internal static async Task<Results<Ok<List<PartnerView>>, ProblemHttpResult, ValidationProblem>> Partners(ClaimsPrincipal user, QuestionnaireAdmin admin, CancellationToken cancellationToken) =>
        (await admin.PartnersAsync(StaffActor.From(user), cancellationToken)).ToApi(TypedResults.Ok, "The partners cannot be listed");

    internal static async Task<Results<Created<IssuedPartnerKey>, ProblemHttpResult, ValidationProblem>> IssuePartner(
        PartnerRequest request, ClaimsPrincipal user, QuestionnaireAdmin admin, CancellationToken cancellationToken) =>
        (await admin.IssuePartnerAsync(StaffActor.From(user), request, cancellationToken))
        .ToApi(issued => TypedResults.Created($"/api/v1/declaration-partners/{issued.Id}", issued), "The partner was not added");

    internal static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> RevokePartner(int id, ClaimsPrincipal user, QuestionnaireAdmin admin, CancellationToken cancellationToken) =>
        (await admin.RevokePartnerAsync(StaffActor.From(user), id, cancellationToken)).ToApi(_ => TypedResults.NoContent(), "The partner's key was not revoked");
}
