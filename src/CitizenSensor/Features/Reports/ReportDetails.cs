using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// The staff view of one report, for the API and the pages alike: names instead of codes, the triage reason in words,
/// and the reporter only for the roles that need it, each look audited.
/// </summary>
public sealed class ReportDetails(CitizenDb db, UnitScope scope, Auditor audit, DuplicateFinder duplicateFinder, IStringLocalizer<SharedResource> text, PersonalData personal)
{
    /// <summary>Who reads a reporter's name, phone and e-mail.</summary>
    public static readonly string[] MaySeeReporter = [StaffRoles.Admin, StaffRoles.CityTriage, StaffRoles.UnitOfficer, StaffRoles.CallAgent];

    /// <summary>The report in the actor's units, or null (none such, or outside them).</summary>
    public async Task<StaffReportDetail?> LoadAsync(string code, StaffActor actor, CancellationToken cancellationToken)
    {
        scope.RestrictTo(actor);
        var normalized = Report.NormalizeCode(code);
        var report = await db.Reports.AsNoTracking().Include(r => r.Notes).Include(r => r.Events).Include(r => r.Attachments)
            .SingleOrDefaultAsync(r => r.Code == normalized, cancellationToken);
        return report is null ? null : await BuildAsync(report, actor, cancellationToken);
    }

    /// <summary>The staff view of a loaded report; showing the reporter is audited.</summary>
    public async Task<StaffReportDetail> BuildAsync(Report report, StaffActor actor, CancellationToken cancellationToken)
    {
        var seesReporter = actor.HasAnyRole(MaySeeReporter);
        var hasReporter = ReporterData.HasContact(report);
        if (seesReporter && hasReporter)
        {
            audit.Record(actor, "view-personal-data", "report", report.Code, null, new { fields = "reporter" });
            await db.SaveChangesAsync(cancellationToken);
        }

        var names = await UnitNamesAsync([report.UnitCode, report.WardCode], cancellationToken);
        var categories = await CategoriesAsync(cancellationToken);
        var duplicates = report.Status is ReportStatus.Resolved or ReportStatus.Rejected ? []
            : await duplicateFinder.FindAroundAsync(db, report, cancellationToken);
        return new StaffReportDetail(
            report.Code, ReportViews.StatusCode(report.Status), report.Description, report.Latitude, report.Longitude, report.Address,
            Category(categories, report.CategoryCode), report.Confidence, Classification.ClassificationWords.Describe(report.ClassificationReason, text, code => Category(categories, code)?.Name ?? code), Link(names, report.UnitCode), Link(names, report.WardCode),
            TriageReason(report.TriageReason, categories), TriageReasons.KindOf(report.TriageReason),
            report.Channel, report.Anonymous, seesReporter ? ReporterData.Open(report, personal) : null,
            report.SubmittedAt, report.ClassifiedAt, report.RoutedAt, report.DueAt, report.ResolvedAt, report.EscalatedAt, report.EscalatedTo,
            report.PublicResult, report.FineVnd, report.BusinessSuspended, report.RejectionReason, report.DuplicateOfCode,
            report.Version,
            [.. report.Notes.OrderBy(n => n.At).ThenBy(n => n.Id).Select(n => new NoteView(n.At, n.Author, n.Text))],
            [.. report.Events.OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => new PublicEvent(ReportViews.StatusCode(e.Status), e.At, e.PublicNote))],
            [.. report.Attachments.Select(a => new AttachmentView(a.Id, a.Kind.ToString().ToLowerInvariant(), a.ContentType, a.Length, a.MetadataRemoved, $"/api/v1/staff/reports/{report.Code}/attachments/{a.Id}"))],
            duplicates);
    }

    /// <summary>A stored triage reason in the current language.</summary>
    public string? TriageReason(string? stored, IReadOnlyDictionary<string, Category> categories) =>
        TriageReasons.Describe(stored, text, code => Category(categories, code)?.Name ?? code);

    public Task<Dictionary<string, string>> UnitNamesAsync(IEnumerable<string?> codes, CancellationToken cancellationToken) =>
        UnitNames.ByCodeAsync(db, codes, cancellationToken);

    public async Task<Dictionary<string, Category>> CategoriesAsync(CancellationToken cancellationToken) =>
        await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, cancellationToken);

    public static UnitLink? Link(IReadOnlyDictionary<string, string> names, string? code) =>
        code is not null && names.TryGetValue(code, out var name) ? new UnitLink(code, name) : null;

    public static CategoryView? Category(IReadOnlyDictionary<string, Category> categories, string? code) =>
        code is not null && categories.TryGetValue(code, out var c) ? new CategoryView(c.Code, c.Name(ReportViews.English)) : null;
}
