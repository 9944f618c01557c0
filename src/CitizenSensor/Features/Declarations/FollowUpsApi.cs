using System.Security.Claims;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CitizenSensor.Features.Declarations;

/// <summary>
/// A task in the list: why and when, no identity. <c>Contact</c> is f1 or f2 when tracing found the person, with the
/// quarantine (or home monitoring) dates the rules gave.
/// </summary>
public sealed record FollowUpSummary(
    long Id, string WardCode, string DistrictCode, IReadOnlyList<string> Symptoms, IReadOnlyList<string> Exposures, DateTimeOffset CreatedAt,
    DateTimeOffset DueAt, bool Overdue, DateTimeOffset? EscalatedAt, string Status, string? Outcome, int Attempts, int Revision,
    string? Contact = null, DateOnly? QuarantineFrom = null, DateOnly? QuarantineUntil = null);

/// <summary>
/// A task opened by a health officer: the person to call and their latest declaration; for a contact found by
/// tracing, the phone and name of the check-in that placed them at the venue (never who the case is).
/// </summary>
public sealed record FollowUpView(FollowUpSummary Task, string? Note, string? UpdatedBy, DateTimeOffset? UpdatedAt, DeclarationView? Declaration, TracedContact? Contact = null);

/// <summary>Where tracing found a person: their check-in's phone and name, and the venue and time.</summary>
public sealed record TracedContact(string Phone, string? Name, string VenueName, string VenueAddress, DateTimeOffset At);

public sealed record OutcomeRequest(string? Outcome, string? Note, int? Revision);

/// <summary>
/// The health officers' follow-up queue, in their units (a ward's officers see their ward, a district's see all its
/// wards with the escalated tasks first). The list shows no identities; opening a task shows the person's contact
/// and declaration and is audited with the officer's reason.
/// </summary>
public static class FollowUpsApi
{
    public static IEndpointRouteBuilder MapFollowUpsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/followups").WithTags("Health declarations").RequireAuthorization().RequireUnitScope();
        group.MapGet("/", List).WithSummary("Follow-up tasks in your units: open ones by default, escalated and most overdue first (Admin, HealthOfficer)");
        group.MapGet("/{id:long}", Open).WithSummary("A task with the person's contact and declaration; say why in 'reason' (audited)");
        group.MapPost("/{id:long}/outcome", Record).WithSummary("Record what came of the call: not-reached keeps the task open, the rest close it (audited)");
        return routes;
    }

    internal static async Task<Results<Ok<List<FollowUpSummary>>, ProblemHttpResult, ValidationProblem>> List(
        string? status, bool? escalated, string? ward, int? limit, FollowUpDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await desk.ListAsync(StaffActor.From(user), status, escalated, ward, limit, cancellationToken)).ToApi(TypedResults.Ok, "The tasks cannot be listed");

    internal static async Task<Results<Ok<FollowUpView>, ProblemHttpResult, ValidationProblem>> Open(
        long id, string? reason, FollowUpDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await desk.OpenAsync(StaffActor.From(user), id, reason, cancellationToken)).ToApi(TypedResults.Ok, "The task cannot be opened");

    internal static async Task<Results<Ok<FollowUpSummary>, ProblemHttpResult, ValidationProblem>> Record(
        long id, OutcomeRequest request, FollowUpDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await desk.RecordAsync(StaffActor.From(user), id, request, cancellationToken)).ToApi(TypedResults.Ok, "The outcome was not recorded");
}
