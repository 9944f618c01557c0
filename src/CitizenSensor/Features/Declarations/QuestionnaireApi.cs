using System.Security.Claims;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Staff;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Declarations;

public sealed record QuestionnaireEdit(Bilingual? Title, List<Question>? Questions);

public sealed record PartnerRequest(string? Name, string? Source);

public sealed record PartnerView(int Id, string Name, string Source, string KeyHint, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt);

public sealed record IssuedPartnerKey(int Id, string Name, string Source, string Key);

/// <summary>
/// The questionnaire: public to read (the form and apps render it), as JSON or as a FHIR R4 Questionnaire; Admin saves
/// a new version. Admin also issues and revokes partner keys.
/// </summary>
public static partial class QuestionnaireApi
{
    public static IEndpointRouteBuilder MapQuestionnaireApi(this IEndpointRouteBuilder routes)
    {
        var open = routes.MapGroup("/api/v1/questionnaire").WithTags("Health declarations");
        open.MapGet("/", Current).WithSummary("The current questionnaire (its questions in Vietnamese and English)");
        open.MapGet("/{version:int}", Version).WithSummary("A version of the questionnaire");
        open.MapGet("/fhir", CurrentFhir).WithSummary("The current questionnaire as an HL7 FHIR R4 Questionnaire");
        open.MapGet("/{version:int}/fhir", VersionFhir).WithSummary("A version as an HL7 FHIR R4 Questionnaire");

        var admin = routes.MapGroup("/api/v1").WithTags("Health declarations").RequireAuthorization(p => p.RequireRole(StaffRoles.Admin));
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

    internal static async Task<Results<Ok<QuestionnaireVersion>, ValidationProblem, ProblemHttpResult>> Save(
        QuestionnaireEdit edit, ClaimsPrincipal user, CitizenDb db, Questionnaires questionnaires, Auditor audit, CancellationToken cancellationToken)
    {
        var errors = QuestionnaireRules.Check(edit.Title, edit.Questions);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The questionnaire was not saved");
        }

        var previous = await questionnaires.CurrentAsync(cancellationToken);
        var saved = await questionnaires.AddVersionAsync(db, new Bilingual(edit.Title!.Vi.Trim(), edit.Title.En.Trim()), QuestionnaireRules.Normalize(edit.Questions!),
            user.FindFirstValue(ClaimTypes.Email) ?? "admin", cancellationToken);
        audit.Record("save-questionnaire", "questionnaire", saved.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { previous.Version, questions = previous.Questions.Select(q => q.Id) }, new { saved.Version, questions = saved.Questions.Select(q => q.Id) });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The questionnaire was not saved",
                detail: "Another version was saved at the same moment: load the questionnaire again and repeat your change.");
        }

        questionnaires.Forget();
        return TypedResults.Ok(saved);
    }

    internal static async Task<Ok<List<PartnerView>>> Partners(CitizenDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.Set<DeclarationPartner>().AsNoTracking().OrderBy(p => p.Name)
            .Select(p => new PartnerView(p.Id, p.Name, p.Source, p.KeyHint, p.CreatedAt, p.CreatedBy, p.RevokedAt)).ToListAsync(cancellationToken));

    internal static async Task<Results<Created<IssuedPartnerKey>, ValidationProblem>> IssuePartner(
        PartnerRequest request, ClaimsPrincipal user, CitizenDb db, Auditor audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (name is not { Length: >= 2 and <= 100 } || Infrastructure.PlainText.FindMarkup(name) is not null)
        {
            errors["name"] = ["'name' is 2 to 100 characters of plain text."];
        }

        var source = request.Source?.Trim().ToLowerInvariant();
        if (source is null || !SourceName().IsMatch(source) || source is "web" or "app")
        {
            errors["source"] = ["'source' is 2 to 40 lower-case letters, digits or '-' (not 'web' or 'app'): the name its declarations are counted under."];
        }
        else if (await db.Set<DeclarationPartner>().AnyAsync(p => p.Source == source, cancellationToken))
        {
            errors["source"] = [$"The source '{source}' is taken."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The partner was not added");
        }

        var key = DeclarationPartner.NewKey();
        var partner = new DeclarationPartner
        {
            Name = name!,
            Source = source!,
            KeyHash = DeclarationPartner.Hash(key),
            KeyHint = key[..(DeclarationPartner.KeyPrefix.Length + 4)],
            CreatedAt = time.GetUtcNow(),
            CreatedBy = user.FindFirstValue(ClaimTypes.Email) ?? "admin",
        };
        db.Add(partner);
        await db.SaveChangesAsync(cancellationToken);
        audit.Record("add-declaration-partner", "declaration-partner", partner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, new { partner.Name, partner.Source, partner.KeyHint });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/declaration-partners/{partner.Id}", new IssuedPartnerKey(partner.Id, partner.Name, partner.Source, key));
    }

    internal static async Task<Results<NoContent, NotFound>> RevokePartner(int id, CitizenDb db, PartnerKeys keys, Auditor audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var partner = await db.Set<DeclarationPartner>().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (partner is null)
        {
            return TypedResults.NotFound();
        }

        if (partner.RevokedAt is null)
        {
            partner.RevokedAt = time.GetUtcNow();
            audit.Record("revoke-declaration-partner", "declaration-partner", id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, new { partner.Name, partner.Source });
            await db.SaveChangesAsync(cancellationToken);
        }

        keys.Forget(partner.KeyHash);
        return TypedResults.NoContent();
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z][a-z0-9-]{1,39}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex SourceName();
}
