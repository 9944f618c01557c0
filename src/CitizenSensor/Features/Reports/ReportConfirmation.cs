using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Reports.Attachments;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// The receipt a browser gets when it files a report on the web form: a short-lived, signed cookie naming the report.
/// Only that browser sees the confirmation (what it sent, its photos, its contact details) on the tracking page;
/// anyone else who knows the code sees the public view.
/// </summary>
public sealed class ReportReceipt(IDataProtectionProvider protection, TimeProvider time)
{
    public const string CookieName = "cs-filed";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    private readonly IDataProtector _protector = protection.CreateProtector("CitizenSensor.Reports.Receipt");

    /// <summary>The cookie's value for a report just filed.</summary>
    public string Issue(string code) =>
        _protector.Protect($"{code}|{(time.GetUtcNow() + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Whether the cookie is this browser's receipt for the report, still fresh.</summary>
    public bool Covers(string? cookie, string code)
    {
        if (string.IsNullOrEmpty(cookie))
        {
            return false;
        }

        try
        {
            var parts = _protector.Unprotect(cookie).Split('|');
            return parts.Length == 2 && parts[0] == code && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var until)
                && time.GetUtcNow().ToUnixTimeSeconds() <= until;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false; // forged, or from another installation
        }
    }
}

/// <summary>What the resident who filed the report sees right after: what was sent, and what happens next and by when.</summary>
public sealed record ReportConfirmation(
    string Description,
    string? Address,
    string? Ward,
    string? District,
    IReadOnlyList<Guid> Photos,
    string? Email,
    bool Anonymous,
    int ForwardWithinMinutes,
    int ResolveWithinMinutes,
    DateTimeOffset ForwardBy,
    DateTimeOffset ResultBy)
{
    /// <summary>The submission as stored, with the SLA of its category (or the default category's, until it is classified).</summary>
    public static async Task<ReportConfirmation?> LoadAsync(CitizenDb db, CategoryCache categories, ReporterMailOptions mail, PersonalData personal, string code, CancellationToken cancellationToken)
    {
        var report = await db.Reports.IgnoreQueryFilters().AsNoTracking().Where(r => r.Code == code)
            .Select(r => new { r.Description, r.Address, r.WardCode, r.UnitCode, r.SealedChannelAddress, r.Anonymous, r.CategoryCode, r.CategoryHint, r.SubmittedAt, r.RoutedAt, r.DueAt, Photos = r.Attachments.Where(a => a.Kind == MediaKind.Photo).Select(a => a.Id).ToList() })
            .SingleOrDefaultAsync(cancellationToken);
        if (report is null)
        {
            return null;
        }

        var all = await categories.GetAsync(cancellationToken);
        // Until the report is classified (a second or two), the promise is the seed's: the shortest forward window and
        // the default result window, not the slow one of "other".
        var category = (report.CategoryCode ?? report.CategoryHint) is { } known && all.GetValueOrDefault(known) is { } found ? found
            : new Category
            {
                Code = Category.Other,
                NameVi = "",
                NameEn = "",
                ForwardWithinMinutes = all.Values.Where(c => c.Active).Select(c => c.ForwardWithinMinutes).DefaultIfEmpty(5).Min(),
                ResolveWithinMinutes = ReportRules.DefaultResolveMinutes,
            };
        var units = await UnitNames.ByCodeAsync(db, [report.WardCode, report.UnitCode], cancellationToken);
        var forwardBy = report.RoutedAt ?? report.SubmittedAt.AddMinutes(category.ForwardWithinMinutes);
        return new ReportConfirmation(
            report.Description,
            report.Address,
            report.WardCode is null ? null : units.GetValueOrDefault(report.WardCode),
            report.UnitCode is null ? null : units.GetValueOrDefault(report.UnitCode),
            report.Photos,
            mail.Enabled ? personal.Open(report.SealedChannelAddress) : null,
            report.Anonymous,
            category.ForwardWithinMinutes,
            category.ResolveWithinMinutes,
            forwardBy,
            report.DueAt ?? forwardBy.AddMinutes(category.ResolveWithinMinutes));
    }

    /// <summary>One of the report's photos (already stripped of metadata), for the browser holding its receipt.</summary>
    public static async Task<(Stream Content, string ContentType)?> OpenPhotoAsync(CitizenDb db, IBlobStore blobs, string code, Guid id, CancellationToken cancellationToken)
    {
        var photo = await db.Reports.IgnoreQueryFilters().AsNoTracking().Where(r => r.Code == code)
            .SelectMany(r => r.Attachments).Where(a => a.Id == id && a.Kind == MediaKind.Photo)
            .Select(a => new { a.BlobKey, a.ContentType })
            .SingleOrDefaultAsync(cancellationToken);
        return photo is not null && await blobs.OpenAsync(photo.BlobKey, cancellationToken) is { } stream ? (stream, photo.ContentType) : null;
    }
}
