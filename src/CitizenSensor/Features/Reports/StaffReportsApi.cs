using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Reports.Attachments;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

public sealed record StaffReportItem(
    string Code, string Status, CategoryView? Category, UnitLink? Unit, string? WardCode, string Channel,
    DateTimeOffset SubmittedAt, DateTimeOffset? RoutedAt, DateTimeOffset? DueAt, bool Overdue, bool Escalated,
    string Excerpt, double? Lat, double? Lng, string? TriageReason);

public sealed record NoteView(DateTimeOffset At, string Author, string Text);

public sealed record StaffReportDetail(
    string Code, string Status, string Description, double? Lat, double? Lng, string? Address,
    CategoryView? Category, double? Confidence, string? ClassificationReason, UnitLink? Unit, UnitLink? Ward, string? TriageReason,
    string Channel, bool Anonymous, ReporterContact? Reporter,
    DateTimeOffset SubmittedAt, DateTimeOffset? ClassifiedAt, DateTimeOffset? RoutedAt, DateTimeOffset? DueAt, DateTimeOffset? ResolvedAt, DateTimeOffset? EscalatedAt,
    string? Result, long? FineVnd, bool BusinessSuspended, string? RejectionReason, string? DuplicateOf,
    int Version, IReadOnlyList<NoteView> Notes, IReadOnlyList<PublicEvent> History, IReadOnlyList<AttachmentView> Attachments,
    IReadOnlyList<LikelyDuplicate> LikelyDuplicates);

public sealed record AttachmentView(Guid Id, string Kind, string ContentType, long Length, bool MetadataRemoved, string Url);

public sealed record VersionedRequest(int? Version);

public sealed record CorrectionView(DateTimeOffset At, string Description, string? From, string To, string By);

public sealed record WardRequest([property: Required] string WardCode, int? Version);

public sealed record NoteRequest([property: Required, MinLength(1), MaxLength(ReportRules.MaxDescription)] string Text);

public sealed record ResolveRequest([property: Required, MinLength(10), MaxLength(ReportRules.MaxDescription)] string Result, [property: Range(0, 1_000_000_000_000)] long? FineVnd, bool SuspendBusiness, int? Version);

public sealed record RejectRequest([property: Required] string Reason, string? DuplicateOf, [property: MaxLength(1000)] string? Note, int? Version);

public sealed record RouteRequest([property: Required] string UnitCode, string? Category, int? Version);

public sealed record CategoryRequest([property: Required] string Category, int? Version);

/// <summary>
/// The officers' and dispatchers' side of reports. Every endpoint runs in the caller's unit scope: an officer of
/// Quận 1 neither sees nor changes Quận 3's reports (404). Every change is audited; so is every look at a reporter.
/// </summary>
public static class StaffReportsApi
{
    private static readonly string[] Handlers = [StaffRoles.Admin, StaffRoles.UnitOfficer];
    private static readonly string[] Dispatchers = [StaffRoles.Admin, StaffRoles.CityTriage];
    private static readonly string[] MaySeeReporter = [StaffRoles.Admin, StaffRoles.CityTriage, StaffRoles.UnitOfficer, StaffRoles.CallAgent];

    public static RouteGroupBuilder MapStaffReportsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/staff/reports").WithTags("Reports (staff)").RequireAuthorization().RequireUnitScope();
        group.MapGet("/", Queue).WithSummary("Your units' reports: overdue first, then newest");
        group.MapGet("/{code}", Detail).WithSummary("One report with notes and history; reporter details for roles that need them (audited)");
        group.MapGet("/{code}/attachments/{id:guid}", Attachment).WithSummary("A photo or video of the report (photos without their metadata); audited");
        group.MapPost("/{code}/accept", Accept).RequireAuthorization(p => p.RequireRole(Handlers));
        group.MapPost("/{code}/ward", AssignWard).RequireAuthorization(p => p.RequireRole(Handlers));
        group.MapPost("/{code}/notes", AddNote).RequireAuthorization(p => p.RequireRole([.. Handlers, StaffRoles.CityTriage, StaffRoles.CallAgent]));
        group.MapPost("/{code}/resolve", Resolve).RequireAuthorization(p => p.RequireRole(Handlers));
        group.MapPost("/{code}/reject", Reject).RequireAuthorization(p => p.RequireRole([.. Handlers, StaffRoles.CityTriage]));
        group.MapPost("/{code}/route", Route).RequireAuthorization(p => p.RequireRole(Dispatchers));
        group.MapPost("/{code}/category", SetCategory).RequireAuthorization(p => p.RequireRole(Dispatchers));
        routes.MapGet("/api/v1/staff/category-corrections", Corrections).WithTags("Reports (staff)").RequireAuthorization(p => p.RequireRole(Dispatchers)).RequireUnitScope()
            .WithSummary("Categories people set instead of the classifier's, newest first: material for tuning the rules");
        return group;
    }

    internal static async Task<Ok<List<StaffReportItem>>> Queue(CitizenDb db, TimeProvider time, string? status, string? category, bool? overdue, bool? escalated, int? limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var query = db.Reports.AsNoTracking();
        if (status is not null && ParseStatus(status) is { } wanted)
        {
            query = query.Where(r => r.Status == wanted);
        }

        if (category is not null)
        {
            query = query.Where(r => r.CategoryCode == category);
        }

        if (escalated is not null)
        {
            query = query.Where(r => (r.EscalatedAt != null) == escalated);
        }

        var open = new[] { ReportStatus.Routed, ReportStatus.InProgress, ReportStatus.NeedsTriage };
        if (overdue == true)
        {
            query = query.Where(r => open.Contains(r.Status) && r.DueAt < now);
        }

        var rows = await query
            .OrderByDescending(r => open.Contains(r.Status) && r.DueAt != null && r.DueAt < now)
            .ThenByDescending(r => r.SubmittedAt)
            .Take(Math.Clamp(limit ?? 100, 1, 500))
            .Select(r => new
            {
                r.Code,
                r.Status,
                r.CategoryCode,
                r.UnitCode,
                r.WardCode,
                r.Channel,
                r.SubmittedAt,
                r.RoutedAt,
                r.DueAt,
                r.EscalatedAt,
                r.Description,
                r.Latitude,
                r.Longitude,
                r.TriageReason,
            })
            .ToListAsync(cancellationToken);
        var names = await NamesAsync(db, rows.Select(r => r.UnitCode), cancellationToken);
        var categories = await CategoriesAsync(db, cancellationToken);
        return TypedResults.Ok(rows.Select(r => new StaffReportItem(
            r.Code, ReportViews.StatusCode(r.Status), Category(categories, r.CategoryCode), Link(names, r.UnitCode), r.WardCode, r.Channel,
            r.SubmittedAt, r.RoutedAt, r.DueAt, open.Contains(r.Status) && r.DueAt < now, r.EscalatedAt is not null,
            r.Description.Length > 140 ? r.Description[..140] + "…" : r.Description, r.Latitude, r.Longitude, r.TriageReason)).ToList());
    }

    internal static async Task<Results<Ok<StaffReportDetail>, ProblemHttpResult>> Detail(string code, CitizenDb db, Auditor audit, DuplicateFinder duplicates, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var normalized = Report.NormalizeCode(code);
        var report = await db.Reports.AsNoTracking().Include(r => r.Notes).Include(r => r.Events).Include(r => r.Attachments).SingleOrDefaultAsync(r => r.Code == normalized, cancellationToken);
        return report is null ? NotFound(code) : TypedResults.Ok(await BuildDetailAsync(report, db, audit, duplicates, user, cancellationToken));
    }

    /// <summary>The staff view of a loaded report; showing the reporter is audited.</summary>
    internal static async Task<StaffReportDetail> BuildDetailAsync(Report report, CitizenDb db, Auditor audit, DuplicateFinder duplicateFinder, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var seesReporter = MaySeeReporter.Any(user.IsInRole);
        var hasReporter = report.ReporterName is not null || report.ReporterPhone is not null || report.ReporterEmail is not null;
        if (seesReporter && hasReporter)
        {
            audit.Record("view-personal-data", "report", report.Code, null, new { fields = "reporter" });
            await db.SaveChangesAsync(cancellationToken);
        }

        var names = await NamesAsync(db, [report.UnitCode, report.WardCode], cancellationToken);
        var categories = await CategoriesAsync(db, cancellationToken);
        var duplicates = report.Status is ReportStatus.Resolved or ReportStatus.Rejected ? []
            : await duplicateFinder.FindAroundAsync(db, report, cancellationToken);
        return new StaffReportDetail(
            report.Code, ReportViews.StatusCode(report.Status), report.Description, report.Latitude, report.Longitude, report.Address,
            Category(categories, report.CategoryCode), report.Confidence, report.ClassificationReason, Link(names, report.UnitCode), Link(names, report.WardCode), report.TriageReason,
            report.Channel, report.Anonymous, seesReporter && hasReporter ? new ReporterContact(report.ReporterName, report.ReporterPhone, report.ReporterEmail) : null,
            report.SubmittedAt, report.ClassifiedAt, report.RoutedAt, report.DueAt, report.ResolvedAt, report.EscalatedAt,
            report.PublicResult, report.FineVnd, report.BusinessSuspended, report.RejectionReason, report.DuplicateOfCode,
            report.Version,
            [.. report.Notes.OrderBy(n => n.At).ThenBy(n => n.Id).Select(n => new NoteView(n.At, n.Author, n.Text))],
            [.. report.Events.OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => new PublicEvent(ReportViews.StatusCode(e.Status), e.At, e.PublicNote))],
            [.. report.Attachments.Select(a => new AttachmentView(a.Id, a.Kind.ToString().ToLowerInvariant(), a.ContentType, a.Length, a.MetadataRemoved, $"/api/v1/staff/reports/{report.Code}/attachments/{a.Id}"))],
            duplicates);
    }

    internal static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Attachment(string code, Guid id, CitizenDb db, IBlobStore blobs, Auditor audit, CancellationToken cancellationToken)
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

        audit.Record("view-attachment", "report", normalized, null, new { attachment = id });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Stream(stream, attachment!.ContentType);
    }

    internal static Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> Accept(string code, VersionedRequest? request, ReportChanges changes) =>
        changes.ApplyAsync(code, request?.Version, "accept", (report, _) =>
        {
            if (report.Status != ReportStatus.Routed)
            {
                return Task.FromResult<string?>($"Only a routed report can be accepted; this one is {ReportViews.StatusCode(report.Status)}.");
            }

            changes.SetStatus(report, ReportStatus.InProgress, null);
            return Task.FromResult<string?>(null);
        });

    internal static Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> AssignWard(string code, WardRequest request, ReportChanges changes, CitizenDb db) =>
        changes.ApplyAsync(code, request.Version, "assign-ward", async (report, errors) =>
        {
            if (report.Status is not (ReportStatus.Routed or ReportStatus.InProgress))
            {
                return $"A ward is assigned to a routed or in-progress report; this one is {ReportViews.StatusCode(report.Status)}.";
            }

            if (!await db.Units.AnyAsync(u => u.Code == request.WardCode && u.ParentCode == report.UnitCode))
            {
                errors["wardCode"] = [$"'{request.WardCode}' is not a ward of the report's unit {report.UnitCode}."];
                return null;
            }

            report.WardCode = request.WardCode;
            return null;
        });

    internal static Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> AddNote(string code, NoteRequest request, ReportChanges changes, TimeProvider time, ClaimsPrincipal user) =>
        changes.ApplyAsync(code, null, "add-note", (report, errors) =>
        {
            PlainText.Check("text", request.Text, errors);
            report.Notes.Add(new ReportNote { ReportId = report.Id, At = time.GetUtcNow(), Author = user.FindFirstValue(ClaimTypes.Email) ?? "staff", Text = request.Text.Trim() });
            return Task.FromResult<string?>(null);
        });

    internal static Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> Resolve(string code, ResolveRequest request, ReportChanges changes, TimeProvider time) =>
        changes.ApplyAsync(code, request.Version, "resolve", async (report, errors) =>
        {
            if (report.Status is not (ReportStatus.Routed or ReportStatus.InProgress))
            {
                return $"Only a routed or in-progress report can be resolved; this one is {ReportViews.StatusCode(report.Status)}.";
            }

            PlainText.Check("result", request.Result, errors);
            if (errors.Count > 0)
            {
                return null;
            }

            report.PublicResult = request.Result.Trim();
            report.FineVnd = request.FineVnd;
            report.BusinessSuspended = request.SuspendBusiness;
            report.ResolvedAt = time.GetUtcNow();
            changes.SetStatus(report, ReportStatus.Resolved, null);
            await changes.ResolveMergedAsync(report);
            return null;
        });

    internal static Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> Reject(string code, RejectRequest request, ReportChanges changes, CitizenDb db) =>
        changes.ApplyAsync(code, request.Version, "reject", async (report, errors) =>
        {
            if (report.Status is ReportStatus.Resolved or ReportStatus.Rejected or ReportStatus.Received)
            {
                return $"A {ReportViews.StatusCode(report.Status)} report cannot be rejected.";
            }

            PlainText.Check("note", request.Note, errors);
            switch (request.Reason)
            {
                case "invalid":
                    changes.SetStatus(report, ReportStatus.Rejected, request.Note?.Trim());
                    break;
                case "duplicate":
                    var original = request.DuplicateOf is null ? null : Report.NormalizeCode(request.DuplicateOf);
                    if (original is null || original == report.Code || !await db.Reports.AnyAsync(r => r.Code == original))
                    {
                        errors["duplicateOf"] = ["'duplicateOf' must be the code of another report you can see."];
                        return null;
                    }

                    report.DuplicateOfCode = original;
                    changes.SetStatus(report, ReportStatus.Rejected, original);
                    break;
                case "not-ours":
                    if (report.Status == ReportStatus.NeedsTriage)
                    {
                        return "The report is already with the triage desk.";
                    }

                    // Back to the city's triage desk, which re-routes it.
                    report.TriageReason = $"Sent back by {report.UnitCode}: {request.Note?.Trim() ?? "not in our area"}";
                    report.UnitPath = report.UnitPath?[..(report.UnitPath.IndexOf('/', 1) + 1)];
                    report.DueAt = null;
                    changes.SetStatus(report, ReportStatus.NeedsTriage, null);
                    break;
                default:
                    errors["reason"] = ["'reason' must be 'invalid', 'duplicate' or 'not-ours'."];
                    return null;
            }

            report.RejectionReason = request.Reason;
            return null;
        });

    internal static Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> Route(string code, RouteRequest request, ReportChanges changes, CitizenDb db, TimeProvider time) =>
        changes.ApplyAsync(code, request.Version, "route", async (report, errors) =>
        {
            if (report.Status is not (ReportStatus.NeedsTriage or ReportStatus.Routed))
            {
                return $"Only a report awaiting triage (or routed, to re-route) can be routed; this one is {ReportViews.StatusCode(report.Status)}.";
            }

            var unit = await db.Units.Where(u => u.Code == request.UnitCode && u.Level > 1).Select(u => new { u.Code, u.Name, u.UnitPath }).SingleOrDefaultAsync();
            if (unit is null)
            {
                errors["unitCode"] = [$"'{request.UnitCode}' is not a unit below a city in your scope."];
                return null;
            }

            if (request.Category is not null && !await changes.CorrectCategoryAsync(report, request.Category, errors))
            {
                return null;
            }

            var minutes = await db.Categories.Where(c => c.Code == report.CategoryCode).Select(c => (int?)c.ResolveWithinMinutes).SingleOrDefaultAsync() ?? 60;
            var now = time.GetUtcNow();
            report.UnitCode = unit.Code;
            report.UnitPath = unit.UnitPath;
            report.WardCode = null;
            report.RoutedAt = now;
            report.DueAt = now.AddMinutes(minutes);
            report.TriageReason = null;
            report.EscalatedAt = null;
            changes.SetStatus(report, ReportStatus.Routed, unit.Name);
            return null;
        });

    internal static Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> SetCategory(string code, CategoryRequest request, ReportChanges changes) =>
        changes.ApplyAsync(code, request.Version, "set-category", async (report, errors) =>
        {
            await changes.CorrectCategoryAsync(report, request.Category, errors);
            return null;
        });

    internal static async Task<Ok<List<CorrectionView>>> Corrections(CitizenDb db, CancellationToken cancellationToken) =>
        // Only for reports the caller may see (the scope filter applies to the Reports side of the test).
        TypedResults.Ok(await db.CategoryCorrections.AsNoTracking().Where(c => db.Reports.Any(r => r.Id == c.ReportId)).OrderByDescending(c => c.Id).Take(1000)
            .Select(c => new CorrectionView(c.At, c.Description, c.FromCategory, c.ToCategory, c.By))
            .ToListAsync(cancellationToken));

    internal static ReportStatus? ParseStatus(string status) =>
        Enum.GetValues<ReportStatus>().Cast<ReportStatus?>().FirstOrDefault(s => ReportViews.StatusCode(s!.Value) == status);

    internal static ProblemHttpResult NotFound(string code) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Report not found", detail: $"There is no report '{code}' in your units.");

    private static async Task<Dictionary<string, string>> NamesAsync(CitizenDb db, IEnumerable<string?> codes, CancellationToken cancellationToken)
    {
        var wanted = codes.OfType<string>().Distinct().ToList();
        return await db.Units.IgnoreQueryFilters().Where(u => wanted.Contains(u.Code)).ToDictionaryAsync(u => u.Code, u => u.Name, cancellationToken);
    }

    private static async Task<Dictionary<string, Category>> CategoriesAsync(CitizenDb db, CancellationToken cancellationToken) =>
        await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, cancellationToken);

    private static UnitLink? Link(Dictionary<string, string> names, string? code) =>
        code is not null && names.TryGetValue(code, out var name) ? new UnitLink(code, name) : null;

    private static CategoryView? Category(Dictionary<string, Category> categories, string? code) =>
        code is not null && categories.TryGetValue(code, out var c) ? new CategoryView(c.Code, c.Name(ReportViews.English)) : null;
}
