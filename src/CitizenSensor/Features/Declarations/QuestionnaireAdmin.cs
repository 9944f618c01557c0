using System.Globalization;
using System.Text.RegularExpressions;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Declarations;

/// <summary>
/// Admin's changes to the declaration questionnaire and to the partner systems that may post declarations: the
/// rules behind the API and the questionnaire page. Each change is saved with its audit entry, or not at all.
/// </summary>
public sealed partial class QuestionnaireAdmin(CitizenDb db, Questionnaires questionnaires, PartnerKeys keys, Auditor audit, TimeProvider time, IStringLocalizer<SharedResource> text)
{
    /// <summary>Who may change the questionnaire and the partners: Admin only.</summary>
    public static bool MayManage(StaffActor actor) => actor.IsAdmin;

    /// <summary>Saves the questionnaire as a new version.</summary>
    public async Task<Outcome<QuestionnaireVersion>> SaveAsync(StaffActor actor, QuestionnaireEdit edit, CancellationToken cancellationToken)
    {
        if (!MayManage(actor))
        {
            return new Outcome<QuestionnaireVersion>.Forbidden(text["Outcome_AdminOnly"]);
        }

        var errors = QuestionnaireRules.Check(edit.Title, edit.Questions);
        if (errors.Count > 0)
        {
            return Outcome.Invalid<QuestionnaireVersion>(errors);
        }

        var previous = await questionnaires.CurrentAsync(cancellationToken);
        var saved = await questionnaires.AddVersionAsync(db, new Bilingual(edit.Title!.Vi.Trim(), edit.Title.En.Trim()), QuestionnaireRules.Normalize(edit.Questions!),
            actor.Name, cancellationToken);
        audit.Record(actor, "save-questionnaire", "questionnaire", saved.Version.ToString(CultureInfo.InvariantCulture),
            new { previous.Version, questions = previous.Questions.Select(q => q.Id) }, new { saved.Version, questions = saved.Questions.Select(q => q.Id) });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return new Outcome<QuestionnaireVersion>.Conflict("Another version was saved at the same moment: load the questionnaire again and repeat your change.");
        }

        questionnaires.Forget();
        return Outcome.Done(saved);
    }

    public async Task<Outcome<List<PartnerView>>> PartnersAsync(StaffActor actor, CancellationToken cancellationToken) =>
        !MayManage(actor)
            ? new Outcome<List<PartnerView>>.Forbidden(text["Outcome_AdminOnly"])
            : Outcome.Done(await db.Set<DeclarationPartner>().AsNoTracking().OrderBy(p => p.Name)
                .Select(p => new PartnerView(p.Id, p.Name, p.Source, p.KeyHint, p.CreatedAt, p.CreatedBy, p.RevokedAt)).ToListAsync(cancellationToken));

    /// <summary>Adds a partner system; the key is in the answer only (its hash is kept).</summary>
    public async Task<Outcome<IssuedPartnerKey>> IssuePartnerAsync(StaffActor actor, PartnerRequest request, CancellationToken cancellationToken)
    {
        if (!MayManage(actor))
        {
            return new Outcome<IssuedPartnerKey>.Forbidden(text["Outcome_AdminOnly"]);
        }

        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (name is not { Length: >= 2 and <= 100 } || PlainText.FindMarkup(name) is not null)
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
            return Outcome.Invalid<IssuedPartnerKey>(errors);
        }

        var key = DeclarationPartner.NewKey();
        var partner = new DeclarationPartner
        {
            Name = name!,
            Source = source!,
            KeyHash = DeclarationPartner.Hash(key),
            KeyHint = key[..(DeclarationPartner.KeyPrefix.Length + 4)],
            CreatedAt = time.GetUtcNow(),
            CreatedBy = actor.Name,
        };
        db.Add(partner);

        // The partner and its audit entry in one save; the source is unique, so it names the partner in the trail.
        audit.Record(actor, "add-declaration-partner", "declaration-partner", partner.Source, null, new { partner.Name, partner.Source, partner.KeyHint });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(new IssuedPartnerKey(partner.Id, partner.Name, partner.Source, key));
    }

    /// <summary>Revokes a partner's key (again: no change).</summary>
    public async Task<Outcome<int>> RevokePartnerAsync(StaffActor actor, int id, CancellationToken cancellationToken)
    {
        if (!MayManage(actor))
        {
            return new Outcome<int>.Forbidden(text["Outcome_AdminOnly"]);
        }

        var partner = await db.Set<DeclarationPartner>().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (partner is null)
        {
            return new Outcome<int>.NotFound($"There is no partner {id}.");
        }

        if (partner.RevokedAt is null)
        {
            partner.RevokedAt = time.GetUtcNow();
            audit.Record(actor, "revoke-declaration-partner", "declaration-partner", partner.Source, null, new { partner.Name, partner.Source });
            await db.SaveChangesAsync(cancellationToken);
        }

        keys.Forget(partner.KeyHash);
        return Outcome.Done(id);
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex SourceName();
}
