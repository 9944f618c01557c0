using CitizenSensor.Data;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace CitizenSensor.Features.Reports.Inbox;

/// <summary>
/// The inbox searches a report's code, description and address without diacritics ("go vap" finds "Gò Vấp"). Neither
/// SQLite nor PostgreSQL folds Vietnamese by itself, so each report keeps its text folded once, on write, in
/// <see cref="Report.SearchText"/> (<see cref="VietnameseText.Fold"/>); a search is then a plain substring match.
/// </summary>
public static class ReportSearch
{
    /// <summary>Sets the folded text of every report being added, or whose code, description or address changed.</summary>
    public static void Stamp(ChangeTracker changes)
    {
        foreach (var entry in changes.Entries<Report>())
        {
            if (entry.State == EntityState.Added || (entry.State == EntityState.Modified && (entry.Property(r => r.Description).IsModified
                || entry.Property(r => r.Address).IsModified || entry.Property(r => r.Code).IsModified || entry.Entity.SearchText is null)))
            {
                entry.Entity.SearchText = Folded(entry.Entity);
            }
        }
    }

    public static string Folded(Report report)
    {
        var text = VietnameseText.Fold(report.Code + " " + report.Description + " " + report.Address);
        return text.Length > MaxLength ? text[..MaxLength] : text;
    }

    /// <summary>Room for the code, the longest description and the longest address, folded (never longer than the original).</summary>
    public const int MaxLength = Report.CodeLength + ReportRules.MaxDescription + ReportRules.MaxAddress + 2;

    /// <summary>
    /// Folds the reports stored before the column existed, a batch at a time (run at start-up; a no-op once done).
    /// Until then such a report is found by filters but not by words.
    /// </summary>
    public static async Task<int> BackfillAsync(CitizenDb db, CancellationToken cancellationToken, int batch = 1000)
    {
        var total = 0;
        while (true)
        {
            var rows = await db.Reports.IgnoreQueryFilters().Where(r => r.SearchText == null)
                .OrderBy(r => r.Id).Take(batch).Select(r => new { r.Id, r.Code, r.Description, r.Address })
                .ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                return total;
            }

            foreach (var row in rows)
            {
                var folded = Folded(new Report { Code = row.Code, Description = row.Description, Address = row.Address, Channel = "" });
                await db.Reports.IgnoreQueryFilters().Where(r => r.Id == row.Id)
                    .ExecuteUpdateAsync(set => set.SetProperty(r => r.SearchText, folded), cancellationToken);
            }

            total += rows.Count;
        }
    }
}
