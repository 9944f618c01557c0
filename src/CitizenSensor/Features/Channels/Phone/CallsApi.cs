using System.Security.Claims;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CitizenSensor.Features.Channels.Phone;

public sealed record CallRequest(
    string? Direction, string? Line, string? CallerPhone, DateTimeOffset? StartedAt, DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt,
    string? Outcome, string? ReportCode, string? Note);

public sealed record CallView(
    long Id, string Direction, string? Line, string CallerPhone, DateTimeOffset StartedAt, DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt,
    string Outcome, string? ReportCode, string LoggedBy, string? Note);

/// <summary>A report taken on the phone: the caller's words as the agent typed them, and the call it came from.</summary>
public sealed record PhoneReportRequest(
    string? CallerPhone, string? CallerName, string? Line, DateTimeOffset? StartedAt,
    string? Description, string? Address, double? Lat, double? Lng, string? Category);

public sealed record PhoneReportFiled(CallView Call, string Code, string TrackingUrl);

public sealed record CallerReport(string Code, string Status, string? Category, DateTimeOffset SubmittedAt, string? Result, string Excerpt);

public sealed record CallerHistory(IReadOnlyList<CallerReport> Reports, IReadOnlyList<CallView> Calls);

public sealed record CallbackTask(string Code, string CallerPhone, string? CallerName, string Status, string? Result, DateTimeOffset? ResolvedAt, int Attempts);

/// <summary>
/// The phone line over HTTP; the rules (who, which units, what is valid, the audit) are <see cref="CallDesk"/>'s.
/// </summary>
public static class CallsApi
{
    private const string Refused = "The call cannot be logged";

    public static IEndpointRouteBuilder MapCalls(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/calls").WithTags("Calls").RequireAuthorization().RequireUnitScope();
        group.MapGet("/", Recent).WithSummary("The calls of the last hours, newest first (agents; audited)");
        group.MapPost("/", Log).WithSummary("Log a call (agents, or the switchboard integration with a token)");
        group.MapPost("/reports", FileReport).WithSummary("File a report for the caller (channel phone) and log the call as forwarded");
        group.MapGet("/lookup", Lookup).WithSummary("A caller's earlier reports and calls, by phone or report code (agents; audited)");
        group.MapGet("/callbacks", Callbacks).WithSummary("Phone reports with a result that nobody has called back yet (agents)");
        return routes;
    }

    internal static async Task<Results<Ok<List<CallView>>, ProblemHttpResult, ValidationProblem>> Recent(int? hours, CallDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await desk.RecentAsync(StaffActor.From(user), hours, cancellationToken)).ToApi(TypedResults.Ok, "The calls cannot be listed");

    internal static async Task<Results<Created<CallView>, ProblemHttpResult, ValidationProblem>> Log(CallRequest request, CallDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await desk.LogAsync(StaffActor.From(user), request, cancellationToken)).ToApi(call => TypedResults.Created($"/api/v1/calls/{call.Id}", call), Refused);

    internal static async Task<Results<Created<PhoneReportFiled>, ProblemHttpResult, ValidationProblem>> FileReport(
        PhoneReportRequest request, CallDesk desk, ClaimsPrincipal user, HttpContext http, CancellationToken cancellationToken) =>
        (await desk.FileReportAsync(StaffActor.From(user), request, cancellationToken)).ToApi(
            call => TypedResults.Created($"/api/v1/reports/{call.ReportCode}", new PhoneReportFiled(call, call.ReportCode!, ReportsApi.TrackingUrl(http, call.ReportCode!))),
            "The report cannot be filed");

    internal static async Task<Results<Ok<CallerHistory>, ProblemHttpResult, ValidationProblem>> Lookup(string? phone, string? code, CallDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await desk.LookupAsync(StaffActor.From(user), phone, code, cancellationToken)).ToApi(TypedResults.Ok, "The caller cannot be looked up");

    internal static async Task<Results<Ok<List<CallbackTask>>, ProblemHttpResult, ValidationProblem>> Callbacks(CallDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await desk.CallbacksAsync(StaffActor.From(user), cancellationToken)).ToApi(TypedResults.Ok, "The call-backs cannot be listed");
}
