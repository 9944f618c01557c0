using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Reports.Attachments;
using CitizenSensor.Features.Reports.Inbox;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using CitizenSensor.Infrastructure.Export;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

public sealed record StaffReportItem(
    string Code, string Status, CategoryView? Category, UnitLink? Unit, string? WardCode, string Channel,
    DateTimeOffset SubmittedAt, DateTimeOffset? RoutedAt, DateTimeOffset? DueAt, bool Overdue, bool Escalated,
    string Excerpt, double? Lat, double? Lng, string? TriageReason, string? Address = null, UnitLink? Ward = null);

public sealed record NoteView(DateTimeOffset At, string Author, string Text);

public sealed record StaffReportDetail(
    string Code, string Status, string Description, double? Lat, double? Lng, string? Address,
    CategoryView? Category, double? Confidence, string? ClassificationReason, UnitLink? Unit, UnitLink? Ward, string? TriageReason, string? TriageKind,
    string Channel, bool Anonymous, ReporterContact? Reporter,
    DateTimeOffset SubmittedAt, DateTimeOffset? ClassifiedAt, DateTimeOffset? RoutedAt, DateTimeOffset? DueAt, DateTimeOffset? ResolvedAt, DateTimeOffset? EscalatedAt, string? EscalatedTo,
    string? Result, long? FineVnd, bool BusinessSuspended, string? RejectionReason, string? DuplicateOf,
    int Version, IReadOnlyList<NoteView> Notes, IReadOnlyList<PublicEvent> History, IReadOnlyList<AttachmentView> Attachments,
    IReadOnlyList<LikelyDuplicate> LikelyDuplicates);

public sealed record AttachmentView(Guid Id, string Kind, string ContentType, long Length, bool MetadataRemoved, string Url);

public sealed record VersionedRequest(int? Version);

public sealed record CorrectionView(DateTimeOffset At, string Description, string? From, string To, string By);

public sealed record WardRequest([property: Required] string WardCode, int? Version);

public sealed record NoteRequest([property: Required, MinLength(1), MaxLength(ReportRules.MaxDescription)] string Text);

public sealed record ResolveRequest([property: Required, MinLength(ReportRules.MinResult), MaxLength(ReportRules.MaxDescription)] string Result, [property: Range(0, ReportRules.MaxFineVnd)] long? FineVnd, bool SuspendBusiness, int? Version);

public sealed record RejectRequest([property: Required] string Reason, string? DuplicateOf, [property: MaxLength(ReportRules.MaxRejectionNote)] string? Note, int? Version);

public sealed record MergeRequest([property: Required] string DuplicateOf, int? Version);

public sealed record CloseRequest([property: Required, MinLength(ReportRules.MinResult), MaxLength(ReportRules.MaxDescription)] string Result, int? Version);

public sealed record ReopenRequest([property: Required, MinLength(1), MaxLength(ReportRules.MaxRejectionNote)] string Reason, int? Version);

public sealed record RouteRequest([property: Required] string UnitCode, string? Category, int? Version);

public sealed record CategoryRequest([property: Required] string Category, int? Version);

/// <summary>
/// The officers' and dispatchers' side of reports. Every endpoint runs in the caller's unit scope: an officer of
/// Quận 1 neither sees nor changes Quận 3's reports (404). Changes go through <see cref="ReportHandling"/>, which
/// also decides which roles may make them (403 otherwise); every change is audited, and so is every look at a reporter.
/// </summary>
public static class StaffReportsApi
{
    public static RouteGroupBuilder MapStaffReportsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/staff/reports").WithTags("Reports (staff)").RequireAuthorization().RequireUnitScope();
        group.MapGet("/", Queue).WithSummary("Your units' reports: overdue first, then newest");
        group.MapGet("/map", Map).WithSummary("Where the filtered reports are (the whole filter, newest " + "first, at most 2,000; 'more' says there were more)");
        group.MapGet("/export", Export).WithSummary("The filtered list as CSV or XLSX (format=csv|xlsx), headed in the caller's language, streamed");
        group.MapPost("/bulk", Bulk).WithSummary("Route, assign a ward to or reject several reports; each is done or refused on its own, with the reason");
        group.MapGet("/{code}", Detail).WithSummary("One report with notes and history; reporter details for roles that need them (audited)");
        group.MapGet("/{code}/attachments/{id:guid}", Attachment).WithSummary("A photo or video of the report (photos without their metadata); audited");
        group.MapPost("/{code}/accept", Accept).WithSummary("Officer: take a routed report in hand");
        group.MapPost("/{code}/ward", AssignWard).WithSummary("Officer: the ward of the unit that handles it");
        group.MapPost("/{code}/notes", AddNote).WithSummary("An internal note (officers, dispatchers, call agents)");
        group.MapPost("/{code}/resolve", Resolve).WithSummary("Officer: the public result, with a fine or a suspension");
        group.MapPost("/{code}/reject", Reject).WithSummary("Reject as invalid, send back to the desk (not-ours), or merge (duplicate)");
        group.MapPost("/{code}/merge", Merge).WithSummary("Merge into the report it repeats; it gets that report's result");
        group.MapPost("/{code}/route", Route).WithSummary("Dispatcher: route to a unit below the city (a ward goes to its unit, as its ward)");
        group.MapPost("/{code}/category", SetCategory).WithSummary("Dispatcher: correct the category (kept for tuning the classifier)");
        group.MapPost("/{code}/close", Close).WithSummary("Dispatcher: close with an answer the desk gives itself");
        group.MapPost("/{code}/reopen", Reopen).WithSummary("Dispatcher: reopen a resolved or rejected report; it goes back to the desk");
        routes.MapGet("/api/v1/staff/category-corrections", Corrections).WithTags("Reports (staff)").RequireAuthorization(p => p.RequireRole(StaffRoles.Admin, StaffRoles.CityTriage)).RequireUnitScope()
            .WithSummary("Categories people set instead of the classifier's, newest first: material for tuning the rules");
        return group;
    }

    /// <summary>
    /// The inbox (<see cref="ReportInbox"/>): newest first, a page at a time. The body is the page's reports; the next
    /// page's address is in the <c>Link</c> header (rel="next"), the cursor in <c>after</c>.
    /// </summary>
    internal static async Task<Results<Ok<IReadOnlyList<StaffReportItem>>, ValidationProblem>> Queue([AsParameters] InboxFilter filter, ReportInbox inbox, ClaimsPrincipal user, HttpContext http, CancellationToken cancellationToken)
    {
        var outcome = await inbox.PageAsync(StaffActor.From(user), filter with { Limit = filter.Limit ?? 100 }, cancellationToken);
        if (outcome.Page is not { } page)
        {
            return TypedResults.ValidationProblem(outcome.Errors!, title: "The filter is not valid");
        }

        if (page.Next is not null)
        {
            var query = new Microsoft.AspNetCore.Http.Extensions.QueryBuilder(http.Request.Query
                .Where(p => !p.Key.Equals("after", StringComparison.OrdinalIgnoreCase)).SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v ?? ""))))
            {
                { "after", page.Next },
            };
            http.Response.Headers.Link = $"<{http.Request.PathBase}{http.Request.Path}{query}>; rel=\"next\"";
        }

        return TypedResults.Ok(page.Items);
    }

    /// <summary>The inbox map's points for the whole filter (<see cref="ReportInbox.PointsAsync"/>), as the page draws them.</summary>
    internal static async Task<Results<Ok<InboxPoints>, ValidationProblem>> Map([AsParameters] InboxFilter filter, ReportInbox inbox, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var outcome = await inbox.PointsAsync(StaffActor.From(user), filter, cancellationToken);
        return outcome.Points is null ? TypedResults.ValidationProblem(outcome.Errors!, title: "The filter is not valid") : TypedResults.Ok(outcome);
    }

    internal static async Task<Results<TableExport, ValidationProblem>> Export([AsParameters] InboxFilter filter, string? format, InboxExport export, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (file, errors) = await export.BuildAsync(StaffActor.From(user), filter, format, cancellationToken);
        return file is not null ? file : TypedResults.ValidationProblem(errors!, title: "The export is not valid");
    }

    internal static async Task<Results<Ok<IReadOnlyList<BulkItemResult>>, ValidationProblem>> Bulk(BulkRequest request, InboxBulk bulk, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var outcome = await bulk.ApplyAsync(StaffActor.From(user), request, cancellationToken);
        return outcome.Items is { } items ? TypedResults.Ok(items) : TypedResults.ValidationProblem(outcome.Errors!, title: "The bulk action is not valid");
    }

    internal static async Task<Results<Ok<StaffReportDetail>, ProblemHttpResult>> Detail(string code, ReportDetails details, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await details.LoadAsync(code, StaffActor.From(user), cancellationToken) is { } detail ? TypedResults.Ok(detail) : NotFound(code);

    internal static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Attachment(string code, Guid id, CitizenDb db, IBlobStore blobs, Auditor audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var normalized = Report.NormalizeCode(code);
        var attachment = await db.Reports.AsNoTracking().Where(r => r.Code == normalized)
            .SelectMany(r => r.Attachments).Where(a => a.Id == id)
            .Select(a => new { a.BlobKey, a.ContentType })
            .SingleOrDefaultAsync(cancellationToken);
        var stream = attachment is null ? null : await blobs.OpenAsync(attachment.BlobKey, cancellationToken);
        if (stream is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Attachment not found", detail: $"Report '{code}' in your units has no attachment {id}.");
        }

        audit.Record(StaffActor.From(user), "view-attachment", "report", normalized, null, new { attachment = id });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Stream(stream, attachment!.ContentType);
    }

    internal static async Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> Accept(string code, VersionedRequest? request, ReportHandling handling, ReportDetails details, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await AnswerAsync(await handling.AcceptAsync(StaffActor.From(user), code, request?.Version, cancellationToken), details, user, cancellationToken);

    internal static async Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> AssignWard(string code, WardRequest request, ReportHandling handling, ReportDetails details, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await AnswerAsync(await handling.AssignWardAsync(StaffActor.From(user), code, request.WardCode, request.Version, cancellationToken), details, user, cancellationToken);

    internal static async Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> AddNote(string code, NoteRequest request, ReportHandling handling, ReportDetails details, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await AnswerAsync(await handling.AddNoteAsync(StaffActor.From(user), code, request.Text, cancellationToken), details, user, cancellationToken);

    internal static async Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> Resolve(string code, ResolveRequest request, ReportHandling handling, ReportDetails details, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await AnswerAsync(await handling.ResolveAsync(StaffActor.From(user), code, request.Result, request.FineVnd, request.SuspendBusiness, request.Version, cancellationToken), details, user, cancellationToken);

    internal static async Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> Reject(string code, RejectRequest request, ReportHandling handling, ReportDetails details, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var actor = StaffActor.From(user);
        var outcome = request.Reason == "duplicate"
            ? await handling.MergeAsync(actor, code, request.DuplicateOf, request.Version, cancellationToken)
            : await handling.RejectAsync(actor, code, request.Reason, request.Note, request.Version, cancellationToken);
        return await AnswerAsync(outcome, details, user, cancellationToken);
    }

    internal static async Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> Merge(string code, MergeRequest request, ReportHandling handling, ReportDetails details, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await AnswerAsync(await handling.MergeAsync(StaffActor.From(user), code, request.DuplicateOf, request.Version, cancellationToken), details, user, cancellationToken);

    internal static async Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> Route(string code, RouteRequest request, ReportHandling handling, ReportDetails details, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await AnswerAsync(await handling.RouteAsync(StaffActor.From(user), code, request.UnitCode, request.Category, request.Version, cancellationToken), details, user, cancellationToken);

    internal static async Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> SetCategory(string code, CategoryRequest request, ReportHandling handling, ReportDetails details, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await AnswerAsync(await handling.SetCategoryAsync(StaffActor.From(user), code, request.Category, request.Version, cancellationToken), details, user, cancellationToken);

    internal static async Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> Close(string code, CloseRequest request, ReportHandling handling, ReportDetails details, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await AnswerAsync(await handling.CloseAsync(StaffActor.From(user), code, request.Result, request.Version, cancellationToken), details, user, cancellationToken);

    internal static async Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> Reopen(string code, ReopenRequest request, ReportHandling handling, ReportDetails details, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await AnswerAsync(await handling.ReopenAsync(StaffActor.From(user), code, request.Reason, request.Version, cancellationToken), details, user, cancellationToken);

    internal static async Task<Ok<List<CorrectionView>>> Corrections(CitizenDb db, CancellationToken cancellationToken) =>
        // Only for reports the caller may see (the scope filter applies to the Reports side of the test).
        TypedResults.Ok(await db.CategoryCorrections.AsNoTracking().Where(c => db.Reports.Any(r => r.Id == c.ReportId)).OrderByDescending(c => c.Id).Take(1000)
            .Select(c => new CorrectionView(c.At, c.Description, c.FromCategory, c.ToCategory, c.By))
            .ToListAsync(cancellationToken));

    /// <summary>The API's answer to a handling outcome: the report as saved, or a problem.</summary>
    private static async Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> AnswerAsync(Outcome<Report> outcome, ReportDetails details, ClaimsPrincipal user, CancellationToken cancellationToken) => outcome switch
    {
        // Built from the saved entity: a report just sent out of the caller's scope is still answered once.
        Outcome<Report>.Done done => TypedResults.Ok(await details.BuildAsync(done.Value, StaffActor.From(user), cancellationToken)),
        Outcome<Report>.NotFound missing => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Report not found", detail: missing.Message),
        Outcome<Report>.Forbidden forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not permitted", detail: forbidden.Message),
        Outcome<Report>.Conflict conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The report cannot be changed that way", detail: conflict.Message),
        Outcome<Report>.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors, title: "The change cannot be made"),
        _ => throw new InvalidOperationException($"Unexpected outcome {outcome}."),
    };

    internal static ReportStatus? ParseStatus(string status) =>
        Enum.GetValues<ReportStatus>().Cast<ReportStatus?>().FirstOrDefault(s => ReportViews.StatusCode(s!.Value) == status);

    internal static ProblemHttpResult NotFound(string code) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Report not found", detail: $"There is no report '{code}' in your units.");
}
