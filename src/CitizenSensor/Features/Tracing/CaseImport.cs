using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Tracing;

/// <summary>What an import did: the cases opened, and the lines skipped because the case was known (already opened, or earlier in the file).</summary>
public sealed record CaseImportResult(int Imported, int Skipped, IReadOnlyList<long> Cases, IReadOnlyList<SkippedLine> SkippedLines);

public sealed record SkippedLine(int Line, string Reason);

/// <summary>
/// A laboratory's list of positive results as CSV, opened as cases by a health officer: every row is checked as a case
/// opened by hand would be (the same <see cref="CaseDesk.DraftAsync"/>), and one bad row imports nothing, with each bad
/// line and field named. A row whose person already has a case with the same test day is skipped, so a lab's list
/// imported again (or a longer list of the same day) adds only the new rows. The cases and their audit entries are
/// committed together.
/// </summary>
public sealed class CaseImport(CitizenDb db, UnitScope scope, CaseDesk desk, Auditor audit)
{
    public const int MaxBytes = 2 * 1024 * 1024;
    public const int MaxRows = 5_000;
    public const int MaxErrors = 100;

    public static readonly string[] Required = ["phone", "name", "test_date", "ward"];
    public static readonly string[] Optional = ["citizen_id", "onset_date", "isolation", "facility"];

    public async Task<Outcome<CaseImportResult>> ImportAsync(StaffActor actor, Stream csv, CancellationToken cancellationToken)
    {
        if (!actor.HasAnyRole(CaseDesk.Tracers))
        {
            return new Outcome<CaseImportResult>.Forbidden("Only health officers import cases.");
        }

        scope.RestrictTo(actor);
        var (rows, unreadable) = await CsvRows.ReadAsync(csv, Required, Optional, MaxRows, cancellationToken);
        if (unreadable is not null)
        {
            return Outcome.Invalid<CaseImportResult>("file", unreadable);
        }

        var errors = new Dictionary<string, string[]>();
        var known = new UnitLookups();
        var drafts = new List<(int Line, TracingCase Case)>();
        foreach (var (line, fields) in rows)
        {
            var problems = new Dictionary<string, string[]>();
            var request = Request(fields, problems);
            var (draft, _) = await desk.DraftAsync(actor, request, problems, known, cancellationToken);
            foreach (var (field, messages) in problems)
            {
                errors.TryAdd($"line {line}: {Column(field)}", messages);
            }

            if (draft is not null && problems.Count == 0)
            {
                drafts.Add((line, draft));
            }
        }

        if (errors.Count > 0)
        {
            return Outcome.Invalid<CaseImportResult>(errors.Take(MaxErrors).ToDictionary());
        }

        var (fresh, skipped) = await WithoutKnownAsync(drafts, cancellationToken);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.AddRange(fresh.Select(f => f.Case));
            await db.SaveChangesAsync(cancellationToken);
            foreach (var (_, opened) in fresh)
            {
                audit.Record(actor, "case.open", "case", opened.Id.ToString(CultureInfo.InvariantCulture), null,
                    new { ward = opened.WardCode, opened.TestDate, opened.OnsetDate, isolation = opened.Isolation.ToString(), source = "lab-import" });
            }

            audit.Record(actor, "case.import", "case", "lab-import", null, new { rows = rows.Count, imported = fresh.Count, skipped = skipped.Count });
            await db.SaveChangesAsync(cancellationToken);
            var tally = new TracingTally();
            foreach (var (_, opened) in fresh)
            {
                tally.Case(opened.CreatedAt, opened.WardCode, opened.DistrictCode, opened.UnitPath);
            }

            await tally.WriteAsync(db, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return Outcome.Done(new CaseImportResult(fresh.Count, skipped.Count, [.. fresh.Select(f => f.Case.Id)], skipped));
    }

    /// <summary>The row as a request; dates are written YYYY-MM-DD or DD/MM/YYYY, and the isolation defaults to home.</summary>
    private static OpenCaseRequest Request(Dictionary<string, string> fields, Dictionary<string, string[]> problems) => new(
        fields["phone"], fields["name"], Empty(fields["citizen_id"]), Date("test_date", fields["test_date"], problems), Date("onset_date", fields["onset_date"], problems),
        Empty(fields["isolation"]) ?? "home", fields["ward"], Empty(fields["facility"]));

    private static DateOnly? Date(string column, string value, Dictionary<string, string[]> problems)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        problems[column] = [$"'{column}' is a day written YYYY-MM-DD or DD/MM/YYYY, not '{PlainText.Shorten(value, 20)}'."];
        return null;
    }

    private static string? Empty(string value) => value.Length == 0 ? null : value;

    /// <summary>The CSV column a request field's problem belongs to (the desk names its fields as the API does).</summary>
    private static string Column(string field) => field switch
    {
        "testDate" => "test_date",
        "onsetDate" => "onset_date",
        "citizenId" => "citizen_id",
        _ => field,
    };

    /// <summary>The drafts whose person has no case of the same test day, here or earlier in the file; and the lines skipped.</summary>
    private async Task<(List<(int Line, TracingCase Case)> Fresh, List<SkippedLine> Skipped)> WithoutKnownAsync(
        List<(int Line, TracingCase Case)> drafts, CancellationToken cancellationToken)
    {
        var days = drafts.Select(d => d.Case.TestDate).Distinct().ToList();
        var known = (await db.Set<TracingCase>().IgnoreQueryFilters().AsNoTracking().Where(c => days.Contains(c.TestDate))
                .Select(c => new { c.PersonHash, c.TestDate }).ToListAsync(cancellationToken))
            .Select(c => Key(c.PersonHash, c.TestDate)).ToHashSet(StringComparer.Ordinal);
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var (fresh, skipped) = (new List<(int, TracingCase)>(), new List<SkippedLine>());
        foreach (var (line, draft) in drafts)
        {
            var key = Key(draft.PersonHash, draft.TestDate);
            if (known.Contains(key))
            {
                skipped.Add(new SkippedLine(line, "This person already has a case with this test day."));
            }
            else if (firstLine.TryGetValue(key, out var first))
            {
                skipped.Add(new SkippedLine(line, $"The same person and test day as line {first}."));
            }
            else
            {
                firstLine[key] = line;
                fresh.Add((line, draft));
            }
        }

        return (fresh, skipped);
    }

    private static string Key(byte[] person, DateOnly day) => Convert.ToBase64String(person) + day.DayNumber.ToString(CultureInfo.InvariantCulture);
}
