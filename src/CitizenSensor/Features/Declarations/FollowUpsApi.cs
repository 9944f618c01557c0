using System.Globalization;
using System.Security.Claims;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Venues;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Declarations;

/// <summary>A task in the list: why and when, no identity.</summary>
public sealed record FollowUpSummary(
    long Id, string WardCode, string DistrictCode, IReadOnlyList<string> Symptoms, IReadOnlyList<string> Exposures, DateTimeOffset CreatedAt,
    DateTimeOffset DueAt, bool Overdue, DateTimeOffset? EscalatedAt, string Status, string? Outcome, int Attempts, int Revision);

/// <summary>A task opened by a health officer: the person to call and their latest declaration.</summary>
public sealed record FollowUpView(FollowUpSummary Task, string? Note, string? UpdatedBy, DateTimeOffset? UpdatedAt, DeclarationView? Declaration);

public sealed record OutcomeRequest(string? Outcome, string? Note, int? Revision);

/// <summary>
/// The health officers' follow-up queue, in their units (a ward's officers see their ward, a district's see all its
/// wards with the escalated tasks first). The list shows no identities; opening a task shows the person's contact
/// and declaration and is audited with the officer's reason.
/// </summary>
public static class FollowUpsApi
{
    public const int MaxNote = 1000;

    public static readonly Dictionary<string, FollowUpOutcome> Outcomes = new(StringComparer.Ordinal)
    {
        ["reached"] = FollowUpOutcome.Reached,
        ["not-reached"] = FollowUpOutcome.NotReached,
        ["advised-testing"] = FollowUpOutcome.AdvisedTesting,
        ["tested-negative"] = FollowUpOutcome.TestedNegative,
        ["tested-positive"] = FollowUpOutcome.TestedPositive,
        ["no-action"] = FollowUpOutcome.NoAction,
    };

    public static IEndpointRouteBuilder MapFollowUpsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/followups").WithTags("Health declarations")
            .RequireAuthorization(p => p.RequireRole(DeclarationsApi.HealthRoles)).RequireUnitScope();
        group.MapGet("/", List).WithSummary("Follow-up tasks in your units: open ones by default, escalated and most overdue first");
        group.MapGet("/{id:long}", Open).WithSummary("A task with the person's contact and declaration; say why in 'reason' (audited)");
        group.MapPost("/{id:long}/outcome", Record).WithSummary("Record what came of the call: not-reached keeps the task open, the rest close it (audited)");
        return routes;
    }

    internal static async Task<Results<Ok<List<FollowUpSummary>>, ValidationProblem>> List(
        string? status, bool? escalated, string? ward, int? limit, CitizenDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (status is not (null or "" or "open" or "closed" or "all"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["'status' is open, closed or all."] });
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
        return TypedResults.Ok(tasks.Select(t => Summary(t, now)).ToList());
    }

    internal static async Task<Results<Ok<FollowUpView>, ValidationProblem, NotFound>> Open(
        long id, string? reason, CitizenDb db, PersonalData protection, Auditor audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (DeclarationsApi.CheckReason(reason) is { } problem)
        {
            return problem;
        }

        var task = await db.Set<FollowUpTask>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (task is null)
        {
            return TypedResults.NotFound();
        }

        var declaration = await db.Set<Declaration>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == task.DeclarationId, cancellationToken);
        audit.Record("view-followup", "followup", id.ToString(CultureInfo.InvariantCulture), null, new { reason = reason!.Trim(), declaration = task.DeclarationId });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new FollowUpView(Summary(task, time.GetUtcNow()), task.Note, task.UpdatedBy, task.UpdatedAt,
            declaration is null ? null : DeclarationsApi.View(declaration, DeclarationPayload.Open(protection, declaration.Payload))));
    }

    internal static async Task<Results<Ok<FollowUpSummary>, ValidationProblem, NotFound, ProblemHttpResult>> Record(
        long id, OutcomeRequest request, ClaimsPrincipal user, CitizenDb db, Auditor audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var outcome = default(FollowUpOutcome);
        if (request.Outcome is null || !Outcomes.TryGetValue(request.Outcome, out outcome))
        {
            errors["outcome"] = [$"'outcome' is one of: {string.Join(", ", Outcomes.Keys)}."];
        }

        var note = request.Note?.Trim();
        if (note is { Length: > MaxNote })
        {
            errors["note"] = [$"'note' is at most {MaxNote} characters."];
        }
        else
        {
            Infrastructure.PlainText.Check("note", note, errors);
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The outcome was not recorded");
        }

        var task = await db.Set<FollowUpTask>().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (task is null)
        {
            return TypedResults.NotFound();
        }

        if (task.Status == FollowUpStatus.Closed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The task is closed",
                detail: $"This task was closed as '{Name(task.Outcome)}' by {task.UpdatedBy}. A new declaration with symptoms or an exposure opens a new task.");
        }

        if (request.Revision is { } revision && revision != task.Revision)
        {
            return Conflict();
        }

        var before = new { status = task.Status.ToString(), outcome = Name(task.Outcome), task.Attempts };
        var now = time.GetUtcNow();
        task.Outcome = outcome;
        task.Note = string.IsNullOrEmpty(note) ? task.Note : note;
        task.Attempts++;
        task.UpdatedAt = now;
        task.UpdatedBy = user.FindFirstValue(ClaimTypes.Email) ?? "staff";
        task.Revision++;
        if (outcome != FollowUpOutcome.NotReached)
        {
            task.Status = FollowUpStatus.Closed;
            task.ClosedAt = now;
        }

        audit.Record("followup-outcome", "followup", id.ToString(CultureInfo.InvariantCulture), before,
            new { status = task.Status.ToString(), outcome = request.Outcome, task.Attempts, note = note is null ? null : "(note)" });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Conflict();
        }

        return TypedResults.Ok(Summary(task, now));
    }

    private static ProblemHttpResult Conflict() => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The task changed meanwhile",
        detail: "Another officer (or the escalation) updated this task: load it again and record your outcome on the current version.");

    internal static string? Name(FollowUpOutcome? outcome) => outcome is { } o ? Outcomes.First(p => p.Value == o).Key : null;

    internal static FollowUpSummary Summary(FollowUpTask t, DateTimeOffset now) => new(
        t.Id, t.WardCode, t.DistrictCode,
        [.. QuestionnaireRules.SymptomCodes.Where(s => t.Symptoms.HasFlag(s.Flag)).Select(s => s.Code)],
        [.. QuestionnaireRules.ExposureCodes.Where(e => t.Exposures.HasFlag(e.Flag)).Select(e => e.Code)],
        t.CreatedAt, t.DueAt, t.Status == FollowUpStatus.Open && t.DueAt < now, t.EscalatedAt,
        t.Status == FollowUpStatus.Open ? "open" : "closed", Name(t.Outcome), t.Attempts, t.Revision);
}
