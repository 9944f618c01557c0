using System.Security.Claims;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// The one way staff change a report: load it inside the caller's scope (404 outside), check the version the
/// caller saw (409 when someone else changed it meanwhile), apply the change, record the public event and the
/// audit entry, save — all in one transaction.
/// </summary>
public sealed class ReportChanges(CitizenDb db, Auditor audit, TimeProvider time, IHttpContextAccessor http, ReportSignal signal, DuplicateFinder duplicates)
{
    private readonly List<string> _alsoChanged = [];

    /// <summary>Applies a change; the function returns a conflict message, or adds validation errors, or neither.</summary>
    public async Task<Results<Ok<StaffReportDetail>, ProblemHttpResult, ValidationProblem>> ApplyAsync(
        string code, int? expectedVersion, string action, Func<Report, Dictionary<string, string[]>, Task<string?>> change)
    {
        var cancellationToken = http.HttpContext?.RequestAborted ?? CancellationToken.None;
        var normalized = Report.NormalizeCode(code);
        var report = await db.Reports.Include(r => r.Events).Include(r => r.Notes).Include(r => r.Attachments).SingleOrDefaultAsync(r => r.Code == normalized, cancellationToken);
        if (report is null)
        {
            return StaffReportsApi.NotFound(code);
        }

        if (expectedVersion is not null && expectedVersion != report.Version)
        {
            return Conflict($"The report changed since you loaded it (version {expectedVersion}, now {report.Version}). Reload and try again.");
        }

        var before = Snapshot(report);
        var errors = new Dictionary<string, string[]>();
        var conflict = await change(report, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The change cannot be made");
        }

        if (conflict is not null)
        {
            return Conflict(conflict);
        }

        report.Version++;
        audit.Record(action, "report", report.Code, before, Snapshot(report));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Conflict("Someone else changed the report at the same moment. Reload and try again.");
        }

        signal.NotifyChanged(report.Code);
        _alsoChanged.ForEach(signal.NotifyChanged);
        // Built from the saved entity: a report just sent out of the caller's scope is still answered once.
        return TypedResults.Ok(await StaffReportsApi.BuildDetailAsync(report, db, audit, duplicates, http.HttpContext!.User, cancellationToken));
    }

    /// <summary>
    /// Gives the result to every report merged into this one (rejected as its duplicate): their residents get the
    /// answer too, on their own channels, and their status becomes resolved.
    /// </summary>
    public async Task ResolveMergedAsync(Report original)
    {
        var merged = await db.Reports.IgnoreQueryFilters().Include(r => r.Events)
            .Where(r => r.DuplicateOfCode == original.Code && r.Status == ReportStatus.Rejected)
            .ToListAsync();
        foreach (var duplicate in merged)
        {
            var before = Snapshot(duplicate);
            duplicate.PublicResult = original.PublicResult;
            duplicate.ResolvedAt = original.ResolvedAt;
            duplicate.Version++;
            SetStatus(duplicate, ReportStatus.Resolved, original.Code);
            audit.Record("resolve-merged", "report", duplicate.Code, before, Snapshot(duplicate));
            _alsoChanged.Add(duplicate.Code);
        }
    }

    public void SetStatus(Report report, ReportStatus status, string? publicNote)
    {
        report.Status = status;
        report.Events.Add(new ReportEvent { ReportId = report.Id, At = time.GetUtcNow(), Status = status, PublicNote = publicNote });
    }

    /// <summary>Sets a category a person chose and keeps the correction for tuning the classifier.</summary>
    public async Task<bool> CorrectCategoryAsync(Report report, string category, Dictionary<string, string[]> errors)
    {
        if (!await db.Categories.AnyAsync(c => c.Code == category && c.Active))
        {
            errors["category"] = [$"Unknown category '{category}'."];
            return false;
        }

        if (report.CategoryCode != category)
        {
            db.CategoryCorrections.Add(new CategoryCorrection
            {
                ReportId = report.Id,
                At = time.GetUtcNow(),
                Description = report.Description,
                FromCategory = report.CategoryCode,
                ToCategory = category,
                By = http.HttpContext?.User.FindFirstValue(ClaimTypes.Email) ?? "staff",
            });
            report.CategoryCode = category;
        }

        return true;
    }

    private static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The report cannot be changed that way", detail: detail);

    private static object Snapshot(Report r) => new
    {
        status = ReportViews.StatusCode(r.Status),
        r.CategoryCode,
        r.UnitCode,
        r.WardCode,
        r.DueAt,
        r.PublicResult,
        r.FineVnd,
        r.BusinessSuspended,
        r.RejectionReason,
        r.DuplicateOfCode,
        notes = r.Notes.Count,
    };
}
