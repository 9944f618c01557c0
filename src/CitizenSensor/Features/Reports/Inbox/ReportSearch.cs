using CitizenSensor.Data;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace CitizenSensor.Features.Reports.Inbox;

/// <summary>
/// The inbox searches a report's code, description and address without diacritics ("go vap" finds "Gò Vấp"). Neither
/// SQLite nor PostgreSQL folds Vietnamese by itself, so each report keeps its text folded once, on write, in
/// <see cref="Report.SearchText"/> (<see cref="VietnameseText.Fold"/>); a search is then a substring match of each
/// folded word.
/// </summary>
/// <remarks>
/// A substring match alone walks every report in scope when a word is rare (about 5 s at a million reports), so the
/// folded text is also indexed by trigrams: on PostgreSQL a <c>pg_trgm</c> GIN index on the column, which serves the
/// <c>LIKE '%word%'</c> itself; on SQLite an FTS5 <c>trigram</c> table kept by triggers (migration
/// <c>ReportSearchTrigrams</c>), asked first for the reports holding every trigram of the words when they are few
/// (<see cref="IndexedCandidateLimit"/>). The substring match still decides, so the index only has to find a superset.
/// Words under three letters have no trigram and are matched by substring only.
/// The SQLite tables: <c>ReportSearchTrigrams</c> (contentless, <c>detail=none</c>) holds the trigrams under a row of
/// <c>ReportSearchRows</c>, which gives each report a stable integer row (a report's key is a GUID, and the implicit
/// rowid of <c>Reports</c> may change under VACUUM).
/// </remarks>
public static class ReportSearch
{
    /// <summary>
    /// Past this many reports holding the words' trigrams, SQLite finds the newest matches faster by walking the inbox's
    /// order and testing each report's text (a common word matches within the first rows) than by fetching every
    /// candidate from the index: about 6 µs a candidate, 0.9 s for the 125,000 of "den duong hong" at a million.
    /// </summary>
    public const int IndexedCandidateLimit = 10_000;

    /// <summary>
    /// The reports whose folded text holds every word (folded tokens: letters and digits only). On SQLite, when the
    /// trigram index holds few candidates (<see cref="IndexedCandidateLimit"/>, counted with a limit so the count stays
    /// cheap), the query is narrowed to them first; PostgreSQL's planner makes that choice itself.
    /// </summary>
    public static async Task<IQueryable<Report>> ContainingAsync(CitizenDb db, IQueryable<Report> query, IReadOnlyCollection<string> words, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite() && TrigramQuery(words) is { } trigrams)
        {
            var candidates = await db.Database.SqlQuery<int>(
                $"""SELECT count(*) AS "Value" FROM (SELECT rowid FROM "ReportSearchTrigrams" WHERE "ReportSearchTrigrams" MATCH {trigrams} LIMIT {IndexedCandidateLimit + 1})""")
                .SingleAsync(cancellationToken);
            if (candidates <= IndexedCandidateLimit)
            {
                var matching = db.Database.SqlQuery<Guid>(
                    $"""SELECT r."ReportId" AS "Value" FROM "ReportSearchTrigrams" t JOIN "ReportSearchRows" r ON r."Row" = t.rowid WHERE "ReportSearchTrigrams" MATCH {trigrams}""");
                query = query.Where(r => matching.Contains(r.Id));
            }
        }

        foreach (var word in words)
        {
            // A folded word holds no '%', '_' or '\' (letters and digits only): no escaping needed. LIKE, unlike
            // Contains (strpos on PostgreSQL), is what the pg_trgm index serves.
            var pattern = "%" + word + "%";
            query = query.Where(r => EF.Functions.Like(r.SearchText!, pattern));
        }

        return query;
    }

    /// <summary>
    /// The FTS5 query for the words' trigrams, each quoted (all must be present, in any order), or null when no word
    /// has three letters.
    /// </summary>
    public static string? TrigramQuery(IEnumerable<string> words)
    {
        var trigrams = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            for (var i = 0; i + 3 <= word.Length; i++)
            {
                trigrams.Add(word.Substring(i, 3));
            }
        }

        return trigrams.Count == 0 ? null : string.Join(' ', trigrams.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
    }

    /// <summary>PostgreSQL: the trigram index on the folded text (the extension is trusted: a database owner may create it).</summary>
    public static void ConfigurePostgres(ModelBuilder builder)
    {
        builder.HasPostgresExtension("pg_trgm");
        builder.Entity<Report>().HasIndex(r => r.SearchText, "IX_Reports_SearchText_Trigrams").HasMethod("gin").HasOperators("gin_trgm_ops");
    }

    /// <summary>SQLite: the triggers that keep <c>ReportSearchTrigrams</c> current make EF's RETURNING clause unusable on Reports.</summary>
    public static void ConfigureSqlite(ModelBuilder builder) =>
        builder.Entity<Report>().ToTable(table => table.UseSqlReturningClause(false));

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
