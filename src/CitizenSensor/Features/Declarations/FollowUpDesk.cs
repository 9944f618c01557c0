using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Venues;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Declarations;

/// <summary>
/// The health officers' follow-up work, behind the follow-ups API and pages alike: Admin and HealthOfficer only, in
/// their units; the list shows no identities; opening a task shows the person's contact and declaration and is audited
/// with the officer's reason; an outcome is validated before the task is touched and saved with its audit entry.
/// </summary>
public sealed class FollowUpDesk(CitizenDb db, UnitScope scope, PersonalData protection, Auditor audit, TimeProvider time, IStringLocalizer<SharedResource> text)
{
    public const int MaxNote = 1000;

    private static readonly string[] Officers = [StaffRoles.Admin, StaffRoles.HealthOfficer];

    public static readonly Dictionary<string, FollowUpOutcome> Outcomes = new(StringComparer.Ordinal)
    {
        ["reached"] = FollowUpOutcome.Reached,
        ["not-reached"] = FollowUpOutcome.NotReached,
        ["advised-testing"] = FollowUpOutcome.AdvisedTesting,
        ["tested-negative"] = FollowUpOutcome.TestedNegative,
        ["tested-positive"] = FollowUpOutcome.TestedPositive,
        ["no-action"] = FollowUpOutcome.NoAction,
    };

    /// <summary>Who may work follow-ups.</summary>
    public static bool MayWork(StaffActor actor) => actor.HasAnyRole(Officers);

    /// <summary>Tasks in the actor's units: open ones by default, escalated and most overdue first.</summary>
    public async Task<Outcome<List<FollowUpSummary>>> ListAsync(StaffActor actor, string? status, bool? escalated, string? ward, int? limit, CancellationToken cancellationToken)
    {
        if (Refusal<List<FollowUpSummary>>(actor) is { } refused)
        {
            return refused;
        }

        if (status is not (null or "" or "open" or "closed" or "all"))
        {
            return Outcome.Invalid<List<FollowUpSummary>>("status", "'status' is open, closed or all.");
        }

        var query = db.Set<FollowUpTask>().AsNoTracking();
        query = status switch
        {
            "closed" => query.Where(t => t.Status == FollowUpStatus.Closed),
            "all" => query,
            _ => query.Where(t => t.Status == FollowUpStatus.Open),
        };

        if (escalated is { } only)
        {
            query = only ? query.Where(t => t.EscalatedAt != null) : query.Where(t => t.EscalatedAt == null);
        }

        if (!string.IsNullOrWhiteSpace(ward))
        {
            query = query.Where(t => t.WardCode == ward.Trim());
        }

        var tasks = await query.OrderBy(t => t.EscalatedAt == null).ThenBy(t => t.DueAt).Take(Math.Clamp(limit ?? 200, 1, 1000)).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return Outcome.Done(tasks.Select(t => Summary(t, now)).ToList());
    }

    /// <summary>A task with the person's contact and declaration, for a stated reason (audited).</summary>
    public async Task<Outcome<FollowUpView>> OpenAsync(StaffActor actor, long id, string? reason, CancellationToken cancellationToken)
    {
        if (Refusal<FollowUpView>(actor) is { } refused)
        {
            return refused;
        }

        if (AccessReason.Problem(reason) is { } problem)
        {
            return Outcome.Invalid<FollowUpView>("reason", problem);
        }

        var task = await db.Set<FollowUpTask>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (task is null)
        {
            return new Outcome<FollowUpView>.NotFound($"There is no follow-up task {id} in your units.");
        }

        var declaration = task.DeclarationId is { } declarationId
            ? await db.Set<Declaration>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == declarationId, cancellationToken)
            : null;
        var contact = task.ContactCheckInId is { } checkInId ? await ContactAsync(checkInId, cancellationToken) : null;
        audit.Record(actor, "view-followup", "followup", id.ToString(CultureInfo.InvariantCulture), null,
            new { reason = reason!.Trim(), declaration = task.DeclarationId, checkIn = task.ContactCheckInId });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(new FollowUpView(Summary(task, time.GetUtcNow()), task.Note, task.UpdatedBy, task.UpdatedAt,
            declaration is null ? null : DeclarationsApi.View(declaration, DeclarationPayload.Open(protection, declaration.Payload)), contact));
    }

    /// <summary>The check-in through which tracing found the person, opened: how to reach someone who never declared.</summary>
    private async Task<TracedContact?> ContactAsync(long checkInId, CancellationToken cancellationToken)
    {
        var found = await db.Set<CheckIn>().AsNoTracking().Where(c => c.Id == checkInId)
            .Join(db.Venues.IgnoreQueryFilters(), c => c.VenueId, v => v.Id, (c, v) => new { c.Phone, Person = c.Name, c.At, Venue = v.Name, v.Address })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : new TracedContact(protection.Decrypt(found.Phone), protection.Open(found.Person), found.Venue, found.Address, found.At);
    }

    /// <summary>Records what came of the call: not-reached keeps the task open, the rest close it (audited).</summary>
    public async Task<Outcome<FollowUpSummary>> RecordAsync(StaffActor actor, long id, OutcomeRequest request, CancellationToken cancellationToken)
    {
        if (Refusal<FollowUpSummary>(actor) is { } refused)
        {
            return refused;
        }

        var errors = new Dictionary<string, string[]>();
        var outcome = default(FollowUpOutcome);
        if (request.Outcome is null || !Outcomes.TryGetValue(request.Outcome, out outcome))
        {
            errors["outcome"] = [text["FollowUpChooseOutcome"]];
        }

        var note = request.Note?.Trim();
        if (note is { Length: > MaxNote })
        {
            errors["note"] = [$"'note' is at most {MaxNote} characters."];
        }
        else
        {
            PlainText.Check("note", note, errors);
        }

        if (errors.Count > 0)
        {
            return Outcome.Invalid<FollowUpSummary>(errors);
        }

        var task = await db.Set<FollowUpTask>().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (task is null)
        {
            return new Outcome<FollowUpSummary>.NotFound($"There is no follow-up task {id} in your units.");
        }

        if (task.Status == FollowUpStatus.Closed)
        {
            return new Outcome<FollowUpSummary>.Conflict(
                $"This task was closed as '{Name(task.Outcome)}' by {task.UpdatedBy}. A new declaration with symptoms or an exposure opens a new task.");
        }

        if (request.Revision is { } revision && revision != task.Revision)
        {
            return Changed();
        }

        var before = new { status = task.Status.ToString(), outcome = Name(task.Outcome), task.Attempts };
        var now = time.GetUtcNow();
        task.Outcome = outcome;
        task.Note = string.IsNullOrEmpty(note) ? task.Note : note;
        task.Attempts++;
        task.UpdatedAt = now;
        task.UpdatedBy = actor.Name;
        task.Revision++;
        if (outcome != FollowUpOutcome.NotReached)
        {
            task.Status = FollowUpStatus.Closed;
            task.ClosedAt = now;
        }

        audit.Record(actor, "followup-outcome", "followup", id.ToString(CultureInfo.InvariantCulture), before,
            new { status = task.Status.ToString(), outcome = request.Outcome, task.Attempts, note = note is null ? null : "(note)" });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear(); // nothing of the refused change may be saved later in this request
            return Changed();
        }

        return Outcome.Done(Summary(task, now));
    }

    private static Outcome<FollowUpSummary> Changed() => new Outcome<FollowUpSummary>.Conflict(
        "Another officer (or the escalation) updated this task: load it again and record your outcome on the current version.");

    /// <summary>Refuses actors without the role; for the others, narrows the scope to their units.</summary>
    private Outcome<T>? Refusal<T>(StaffActor actor)
    {
        if (!MayWork(actor))
        {
            return new Outcome<T>.Forbidden(text["Outcome_RoleMayNot"]);
        }

        scope.RestrictTo(actor);
        return null;
    }

    internal static string? Name(FollowUpOutcome? outcome) => outcome is { } o ? Outcomes.First(p => p.Value == o).Key : null;

    internal static FollowUpSummary Summary(FollowUpTask t, DateTimeOffset now) => new(
        t.Id, t.WardCode, t.DistrictCode,
        [.. QuestionnaireRules.SymptomCodes.Where(s => t.Symptoms.HasFlag(s.Flag)).Select(s => s.Code)],
        [.. QuestionnaireRules.ExposureCodes.Where(e => t.Exposures.HasFlag(e.Flag)).Select(e => e.Code)],
        t.CreatedAt, t.DueAt, t.Status == FollowUpStatus.Open && t.DueAt < now, t.EscalatedAt,
        t.Status == FollowUpStatus.Open ? "open" : "closed", Name(t.Outcome), t.Attempts, t.Revision,
        t.Generation is { } g ? $"f{g}" : null, t.QuarantineFrom, t.QuarantineUntil);
}
