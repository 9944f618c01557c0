using System.Globalization;
using System.Security.Claims;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Venues.Compliance;

public sealed record ImportOutcome(int Imported, int AlreadyImported, int AlreadyWithQr);

public sealed record ReminderView(DateOnly Date, string Method, string Officer, string? Note, DateTimeOffset LoggedAt);

public sealed record BusinessView(
    long Id, string Name, string Address, string WardCode, string DistrictCode, string Kind, string? Phone, string Status,
    string? VenueCode, DateTimeOffset? QrCreatedAt, int Reminders, DateTimeOffset? SuspensionProposedAt, DateTimeOffset? SuspendedAt,
    string? SuspendedBy, DateTimeOffset? SuspensionLiftedAt, IReadOnlyList<ReminderView>? History);

public sealed record BusinessPage(int Total, IReadOnlyList<BusinessView> Items);

public sealed record ReminderRequest(DateOnly? Date, string? Method, string? Note);

/// <summary>
/// Businesses that must have a QR location (seed: "businesses that still had no QR after 3 reminders were suspended").
/// Officers import the registry extract (CSV: name, address, ward, kind, phone), see who has no QR, log reminders;
/// after more than <see cref="VenueOptions.RemindersBeforeSuspension"/> the system proposes a suspension, which an
/// officer confirms; the QR lifts it (<see cref="BusinessMatcher"/>). Everything is in the audit trail.
/// </summary>
public static class BusinessesApi
{
    public const int MaxImportBytes = 5 * 1024 * 1024;
    public const int MaxImportRows = 50_000;
    private static readonly string[] Managers = [StaffRoles.Admin, StaffRoles.UnitOfficer];
    private static readonly string[] Columns = ["name", "address", "ward", "kind", "phone"];
    private static readonly string[] WardPrefixes = ["phuong ", "xa ", "thi tran "];

    public static IEndpointRouteBuilder MapBusinessesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/staff/businesses").WithTags("Venues")
            .RequireAuthorization(p => p.RequireRole(Managers)).RequireUnitScope();
        group.MapPost("/import", Import).WithSummary("Import the registry extract (CSV: name,address,ward,kind,phone); all rows or none")
            .WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes)).DisableAntiforgery();
        group.MapGet("/", List).WithSummary("Businesses of your units; ?status=without-qr|proposed|suspended|with-qr (audited)");
        group.MapGet("/{id:long}", Get).WithSummary("A business with its reminders (audited)");
        group.MapPost("/{id:long}/reminders", Remind).WithSummary("Log a reminder (date, method); more than 3 propose a suspension");
        group.MapPost("/{id:long}/suspend", Suspend).WithSummary("Confirm the proposed suspension of a business without a QR");
        return routes;
    }

    internal static async Task<Results<Ok<ImportOutcome>, ValidationProblem, ProblemHttpResult>> Import(
        HttpRequest request, CitizenDb db, Auditor audit, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        // Kestrel stops a longer body too (the endpoint's size limit); this answers at once when the length is declared.
        if (request.ContentLength > MaxImportBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file is too large",
                detail: $"The registry extract may be at most {MaxImportBytes / 1024 / 1024} MB ({MaxImportRows:N0} rows); split it.");
        }

        Stream body;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            if (form.Files.Count != 1)
            {
                return Invalid("file", "Send one CSV file (multipart field 'file') or the CSV itself as the body (text/csv).");
            }

            body = form.Files[0].OpenReadStream();
        }
        else
        {
            body = request.Body;
        }

        var rows = new List<(int Line, Dictionary<string, string> Fields)>();
        using (var reader = new StreamReader(body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        using (var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant(),
            MissingFieldFound = null,
            BadDataFound = null,
            DetectDelimiter = true,
        }))
        {
            try
            {
                if (!await csv.ReadAsync() || !csv.ReadHeader())
                {
                    return Invalid("file", "The file is empty: the first line must name the columns name,address,ward,kind,phone.");
                }

                var header = csv.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant()).ToList();
                var missing = Columns.Where(c => !header.Contains(c)).ToList();
                if (missing.Count > 0)
                {
                    return Invalid("file", $"The header lacks the column(s) {string.Join(", ", missing)}; it must name name,address,ward,kind,phone.");
                }

                while (await csv.ReadAsync())
                {
                    if (rows.Count == MaxImportRows)
                    {
                        return Invalid("file", $"The file has more than {MaxImportRows:N0} rows; split it.");
                    }

                    rows.Add((csv.Parser.RawRow, header.Distinct().ToDictionary(h => h, h => csv.GetField(h)?.Trim() ?? "")));
                }
            }
            catch (CsvHelperException e)
            {
                return Invalid("file", $"The file is not valid CSV near line {e.Context?.Parser?.RawRow}.");
            }
        }

        if (rows.Count == 0)
        {
            return Invalid("file", "The file has a header but no rows.");
        }

        // Wards the caller may import into (the query filter keeps to their units), by code and by folded name.
        var wardUnits = await db.Units.AsNoTracking().Where(u => u.Level == 3)
            .Select(u => new { u.Code, u.Name, u.UnitPath, u.ParentCode, u.SearchName }).ToListAsync(cancellationToken);
        var byCode = wardUnits.ToDictionary(w => w.Code, StringComparer.Ordinal);
        var byName = wardUnits.ToLookup(w => StripPrefix(w.SearchName), StringComparer.Ordinal);

        var errors = new Dictionary<string, string[]>();
        var businesses = new List<Business>();
        var now = time.GetUtcNow();
        foreach (var (line, fields) in rows)
        {
            var problems = new Dictionary<string, string[]>();
            var name = VenueRules.Text("name", fields["name"], VenueRules.MaxName, true, problems);
            var address = VenueRules.Text("address", fields["address"], VenueRules.MaxAddress, true, problems);
            var kind = string.IsNullOrEmpty(fields["kind"]) ? "other" : fields["kind"].ToLowerInvariant();
            if (!VenueKinds.All.Contains(kind))
            {
                problems["kind"] = [$"'kind' must be one of: {string.Join(", ", VenueKinds.All)} (or empty for other)."];
            }

            string? phone = null;
            if (fields["phone"].Length > 0 && (phone = ReportRules.NormalizePhone(fields["phone"])) is null)
            {
                problems["phone"] = ["'phone' must be a Vietnamese phone number (or empty)."];
            }

            var wardText = fields["ward"];
            var matches = byCode.TryGetValue(wardText, out var exact) ? new[] { exact }.ToList() : byName[StripPrefix(VietnameseText.Fold(wardText))].ToList();
            if (matches.Count != 1)
            {
                problems["ward"] = [matches.Count == 0
                    ? $"There is no ward '{PlainText.Shorten(wardText, 40)}' in your units."
                    : $"'{PlainText.Shorten(wardText, 40)}' names {matches.Count} wards ({string.Join(", ", matches.Select(m => m.Code))}); use the ward code."];
            }

            if (problems.Count > 0)
            {
                foreach (var (field, messages) in problems)
                {
                    errors[$"line {line}: {field}"] = messages;
                }

                continue;
            }

            var ward = matches[0];
            businesses.Add(new Business
            {
                Name = name!,
                Address = address!,
                WardCode = ward.Code,
                DistrictCode = ward.ParentCode!,
                UnitPath = ward.UnitPath,
                Kind = kind,
                Phone = phone,
                SearchName = VietnameseText.Fold(name!),
                ImportedAt = now,
            });
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.Take(100).ToDictionary(), title: $"Nothing was imported: {errors.Count} problem(s) in the file");
        }

        // Rows already imported (same ward, name and phone) are skipped, so a fresh extract can be loaded again.
        var wards = businesses.Select(b => b.WardCode).Distinct().ToList();
        var known = (await db.Set<Business>().IgnoreQueryFilters().Where(b => wards.Contains(b.WardCode))
            .Select(b => new { b.WardCode, b.SearchName, b.Phone }).ToListAsync(cancellationToken))
            .Select(b => (b.WardCode, b.SearchName, b.Phone)).ToHashSet();
        var fresh = businesses.Where(b => known.Add((b.WardCode, b.SearchName, b.Phone))).ToList();

        // A business may have registered its QR before the extract arrived.
        var venues = await db.Venues.IgnoreQueryFilters().AsNoTracking().Where(v => wards.Contains(v.WardCode))
            .Select(v => new { v.Id, v.Code, v.WardCode, v.OwnerPhone, v.Name, v.CreatedAt }).ToListAsync(cancellationToken);
        var linked = new HashSet<long>((await db.Set<Business>().IgnoreQueryFilters().Where(b => b.VenueId != null && wards.Contains(b.WardCode))
            .Select(b => b.VenueId!.Value).ToListAsync(cancellationToken)));
        var withQr = 0;
        foreach (var business in fresh)
        {
            var venue = venues.Where(v => v.WardCode == business.WardCode && !linked.Contains(v.Id)
                    && ((business.Phone is not null && v.OwnerPhone == business.Phone) || VietnameseText.Fold(v.Name) == business.SearchName))
                .OrderByDescending(v => business.Phone is not null && v.OwnerPhone == business.Phone).ThenBy(v => v.Id).FirstOrDefault();
            if (venue is not null)
            {
                business.VenueId = venue.Id;
                business.VenueCode = venue.Code;
                business.QrCreatedAt = venue.CreatedAt;
                linked.Add(venue.Id);
                withQr++;
            }
        }

        db.Set<Business>().AddRange(fresh);
        var outcome = new ImportOutcome(fresh.Count, businesses.Count - fresh.Count, withQr);
        audit.Record(StaffActor.From(user), "import-businesses", "business", "registry", null, new { outcome.Imported, outcome.AlreadyImported, outcome.AlreadyWithQr, wards = wards.Count });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(outcome);
    }

    internal static async Task<Results<Ok<BusinessPage>, ValidationProblem>> List(
        CitizenDb db, Auditor audit, ClaimsPrincipal user, string? status, string? ward, string? q, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        if (status is not (null or "all" or "without-qr" or "proposed" or "suspended" or "with-qr") || page is < 1 || pageSize is < 1 or > 500)
        {
            return Invalid("status", "'status' is one of all, without-qr, proposed, suspended, with-qr; 'page' starts at 1; 'pageSize' is 1 to 500.");
        }

        var query = db.Set<Business>().AsNoTracking();
        query = status switch
        {
            "without-qr" => query.Where(b => b.VenueId == null),
            "proposed" => query.Where(b => b.VenueId == null && b.SuspensionProposedAt != null && b.SuspendedAt == null),
            "suspended" => query.Where(b => b.SuspendedAt != null && b.SuspensionLiftedAt == null),
            "with-qr" => query.Where(b => b.VenueId != null),
            _ => query,
        };
        if (!string.IsNullOrWhiteSpace(ward))
        {
            query = query.Where(b => b.WardCode == ward.Trim());
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            var folded = VietnameseText.Fold(q);
            query = query.Where(b => b.SearchName.Contains(folded));
        }

        var total = await query.CountAsync(cancellationToken);
        var size = pageSize ?? 50;
        var items = await query.OrderByDescending(b => b.Reminders).ThenBy(b => b.Id).Skip(((page ?? 1) - 1) * size).Take(size).ToListAsync(cancellationToken);
        audit.Record(StaffActor.From(user), "view-businesses", "business", "list", null, new { status, ward, q, page = page ?? 1, count = items.Count });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new BusinessPage(total, [.. items.Select(b => View(b, null))]));
    }

    internal static async Task<Results<Ok<BusinessView>, ProblemHttpResult>> Get(long id, CitizenDb db, Auditor audit, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await db.Set<Business>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, cancellationToken) is not { } business)
        {
            return NotFound(id);
        }

        var history = await HistoryAsync(db, id, cancellationToken);
        audit.Record(StaffActor.From(user), "view-business", "business", Id(id), null, null);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(business, history));
    }

    internal static async Task<Results<Ok<BusinessView>, ValidationProblem, ProblemHttpResult>> Remind(
        long id, ReminderRequest request, CitizenDb db, Auditor audit, VenueOptions options, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await db.Set<Business>().SingleOrDefaultAsync(b => b.Id == id, cancellationToken) is not { } business)
        {
            return NotFound(id);
        }

        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var date = request.Date ?? CityTime.DayOf(now);
        if (date > CityTime.DayOf(now))
        {
            errors["date"] = ["'date' is in the future."];
        }

        if (request.Method is null || !BusinessReminder.Methods.Contains(request.Method))
        {
            errors["method"] = [$"'method' must be one of: {string.Join(", ", BusinessReminder.Methods)}."];
        }

        var note = VenueRules.Text("note", request.Note, 500, false, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The reminder was not logged");
        }

        if (business.HasQr)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The business has a QR",
                detail: $"Business {id} created its QR (venue {business.VenueCode}); there is nothing to remind.");
        }

        var officer = user.FindFirstValue(ClaimTypes.Email) ?? "officer";
        db.Add(new BusinessReminder { BusinessId = id, Date = date, Method = request.Method!, Officer = officer, Note = note, LoggedAt = now });
        business.Reminders++;
        business.Version++;
        audit.Record(StaffActor.From(user), "remind", "business", Id(id), null, new { date, request.Method, business.Reminders });
        if (business.Reminders > options.RemindersBeforeSuspension && business.SuspensionProposedAt is null && !business.IsSuspended)
        {
            business.SuspensionProposedAt = now;
            audit.Record(StaffActor.From(user), "propose-suspension", "business", Id(id), null, new { business.Reminders, rule = $"more than {options.RemindersBeforeSuspension} reminders without a QR" });
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(business, await HistoryAsync(db, id, cancellationToken)));
    }

    internal static async Task<Results<Ok<BusinessView>, ProblemHttpResult>> Suspend(
        long id, CitizenDb db, Auditor audit, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await db.Set<Business>().SingleOrDefaultAsync(b => b.Id == id, cancellationToken) is not { } business)
        {
            return NotFound(id);
        }

        if (business.HasQr || business.SuspensionProposedAt is null || business.IsSuspended)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No suspension to confirm",
                detail: business.HasQr ? $"Business {id} has its QR (venue {business.VenueCode})."
                    : business.IsSuspended ? $"Business {id} is already suspended."
                    : $"Business {id} has {business.Reminders} reminder(s); a suspension is proposed only after more than the rule's number.");
        }

        business.SuspendedAt = time.GetUtcNow();
        business.SuspendedBy = user.FindFirstValue(ClaimTypes.Email) ?? "officer";
        business.SuspensionLiftedAt = null;
        business.Version++;
        audit.Record(StaffActor.From(user), "confirm-suspension", "business", Id(id), null, new { business.Reminders, business.SuspendedBy });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(business, await HistoryAsync(db, id, cancellationToken)));
    }

    private static async Task<List<ReminderView>> HistoryAsync(CitizenDb db, long id, CancellationToken cancellationToken) =>
        await db.Set<BusinessReminder>().AsNoTracking().Where(r => r.BusinessId == id).OrderBy(r => r.Id)
            .Select(r => new ReminderView(r.Date, r.Method, r.Officer, r.Note, r.LoggedAt)).ToListAsync(cancellationToken);

    private static BusinessView View(Business b, IReadOnlyList<ReminderView>? history) => new(
        b.Id, b.Name, b.Address, b.WardCode, b.DistrictCode, b.Kind, b.Phone, StatusOf(b), b.VenueCode, b.QrCreatedAt, b.Reminders,
        b.SuspensionProposedAt, b.SuspendedAt, b.SuspendedBy, b.SuspensionLiftedAt, history);

    private static string StatusOf(Business b) =>
        b.IsSuspended ? "suspended" : b.HasQr ? "with-qr" : b.SuspensionProposedAt is not null ? "proposed" : "without-qr";

    private static string StripPrefix(string folded)
    {
        foreach (var prefix in WardPrefixes)
        {
            if (folded.StartsWith(prefix, StringComparison.Ordinal))
            {
                return folded[prefix.Length..];
            }
        }

        return folded;
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown business", detail: $"There is no business {id} in your units.");

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request was not accepted");
}
