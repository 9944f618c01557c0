using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

public sealed record CategoryView(string Code, string Name);

public sealed record PublicEvent(string Status, DateTimeOffset At, string? Note);

/// <summary>A report as anyone with its code may see it: no reporter, no exact location, no internal notes.</summary>
public sealed record PublicReport(
    string Code,
    string Status,
    CategoryView? Category,
    UnitLink? Unit,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? ClassifiedAt,
    DateTimeOffset? RoutedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? ResolvedAt,
    string? Result,
    IReadOnlyList<PublicEvent> History)
{
    /// <summary>The report this one was merged into (rejected as its duplicate): follow that one.</summary>
    public string? DuplicateOf { get; init; }

    /// <summary>Where it is, rounded to the public map's grid (<see cref="PublicReportsApi.Grid"/>, about 50 m), when it was located.</summary>
    public double? Lat { get; init; }

    /// <inheritdoc cref="Lat"/>
    public double? Lng { get; init; }
}

public sealed record SubmittedReport(string Code, string Status, string TrackingUrl, IReadOnlyList<LikelyDuplicate> LikelyDuplicates)
{
    /// <summary>When the report asked for a webhook: where status changes go and the secret that signs them.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public WebhookView? Webhook { get; init; }
}

/// <summary>The secret is shown to the submitter only (and again on an idempotent retry), never elsewhere.</summary>
public sealed record WebhookView(string Url, string Secret);

public static class ReportViews
{
    public static string StatusCode(ReportStatus status) => status switch
    {
        ReportStatus.Received => "received",
        ReportStatus.NeedsTriage => "needs-triage",
        ReportStatus.Routed => "routed",
        ReportStatus.InProgress => "in-progress",
        ReportStatus.Resolved => "resolved",
        ReportStatus.Rejected => "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>The public view of one report, or null. Reads across scopes: the code is the key to it.</summary>
    public static async Task<PublicReport?> LoadPublicAsync(CitizenDb db, string code, CancellationToken cancellationToken)
    {
        var normalized = Report.NormalizeCode(code);
        var report = await db.Reports.IgnoreQueryFilters().AsNoTracking()
            .Where(r => r.Code == normalized)
            .Select(r => new
            {
                r.Id,
                r.Code,
                r.Status,
                r.CategoryCode,
                r.UnitCode,
                r.SubmittedAt,
                r.ClassifiedAt,
                r.RoutedAt,
                r.DueAt,
                r.ResolvedAt,
                r.PublicResult,
                r.DuplicateOfCode,
                r.Latitude,
                r.Longitude,
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (report is null)
        {
            return null;
        }

        var category = report.CategoryCode is null ? null
            : await db.Categories.AsNoTracking().Where(c => c.Code == report.CategoryCode).Select(c => new { c.Code, c.NameVi, c.NameEn }).SingleOrDefaultAsync(cancellationToken);
        var unit = report.UnitCode is null ? null
            : await db.Units.IgnoreQueryFilters().AsNoTracking().Where(u => u.Code == report.UnitCode).Select(u => new UnitLink(u.Code, u.Name)).SingleOrDefaultAsync(cancellationToken);
        var history = (await db.ReportEvents.AsNoTracking().Where(e => e.ReportId == report.Id)
                .Select(e => new { e.Id, e.At, e.Status, e.PublicNote })
                .ToListAsync(cancellationToken))
            .OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new PublicEvent(StatusCode(e.Status), e.At, e.PublicNote))
            .ToList();
        return new PublicReport(
            report.Code,
            StatusCode(report.Status),
            category is null ? null : new CategoryView(category.Code, English ? category.NameEn : category.NameVi),
            unit,
            report.SubmittedAt,
            report.ClassifiedAt,
            report.RoutedAt,
            report.DueAt,
            report.ResolvedAt,
            report.PublicResult,
            history)
        {
            DuplicateOf = report.DuplicateOfCode,
            Lat = PublicReportsApi.Round(report.Latitude),
            Lng = PublicReportsApi.Round(report.Longitude),
        };
    }
}
