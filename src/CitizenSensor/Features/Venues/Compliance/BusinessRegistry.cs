using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Venues.Compliance;

public sealed record ImportOutcome(int Imported, int AlreadyImported, int AlreadyWithQr);

public sealed record ReminderView(DateOnly Date, string Method, string Officer, string? Note, DateTimeOffset LoggedAt);

public sealed record BusinessView(
    long Id, string Name, string Address, string WardCode, string DistrictCode, string Kind, string? Phone, string Status,
    string? VenueCode, DateTimeOffset? QrCreatedAt, int Reminders, DateTimeOffset? SuspensionProposedAt, DateTimeOffset? SuspendedAt,
    string? SuspendedBy, DateTimeOffset? SuspensionLiftedAt, IReadOnlyList<ReminderView>? History);

public sealed record BusinessPage(int Total, IReadOnlyList<BusinessView> Items);

public sealed record ReminderRequest(DateOnly? Date, string? Method, string? Note);

public sealed record BusinessQuery(string? Status, string? Ward, string? Q, int? Page, int? PageSize);

/// <summary>
/// The compliance registry's rules, behind the businesses API: officers (UnitOfficer, and Admin) import the registry
/// extract into wards of their own units (all rows or none), see who has no QR, log reminders (more than
/// <see cref="VenueOptions.RemindersBeforeSuspension"/> propose a suspension) and confirm the proposed suspension.
/// Each method checks the role, keeps to the actor's units, validates before it touches a business, and saves the
/// change with its audit entry in one SaveChanges, or nothing.
/// </summary>
public sealed class BusinessRegistry(CitizenDb db, JurisdictionCatalog catalog, UnitScope scope, Auditor audit, VenueOptions options, TimeProvider time, PersonalData personal, IStringLocalizer<SharedResource> text)
{
    public const int MaxImportBytes = 5 * 1024 * 1024;
    public const int MaxImportRows = 50_000;
    private static readonly string[] Managers = [StaffRoles.Admin, StaffRoles.UnitOfficer];
    private static readonly string[] Columns = ["name", "address", "ward", "kind", "phone"];
    private static readonly string[] WardPrefixes = ["phuong ", "xa ", "thi tran "];
    private static readonly string[] Statuses = ["all", "without-qr", "proposed", "suspended", "with-qr"];

    /// <summary>A ward as the import matches it: the GSO code an extract names, the key the business stores, and the key of the unit that handles it (itself for a 2025 commune).</summary>
    private sealed record Ward(string Code, string Key, string UnitPath, string DistrictCode, string SearchName);


    /// <summary>Who may work the registry: unit officers and Admin.</summary>
    public static bool MayManage(StaffActor actor) => actor.HasAnyRole(Managers);

    /// <summary>Businesses of the actor's units, filtered by status, ward and name; audited.</summary>
    public async Task<Outcome<BusinessPage>> ListAsync(StaffActor actor, BusinessQuery query, CancellationToken cancellationToken)
    {
        if (Refusal<BusinessPage>(actor) is { } refused)
        {
            return refused;
        }

        if ((query.Status is not null && !Statuses.Contains(query.Status)) || query.Page is < 1 || query.PageSize is < 1 or > 500)
        {
            return Outcome.Invalid<BusinessPage>("status", "'status' is one of all, without-qr, proposed, suspended, with-qr; 'page' starts at 1; 'pageSize' is 1 to 500.");
        }

        var businesses = db.Set<Business>().AsNoTracking();
        businesses = query.Status switch
        {
            "without-qr" => businesses.Where(b => b.VenueId == null),
            "proposed" => businesses.Where(b => b.VenueId == null && b.SuspensionProposedAt != null && b.SuspendedAt == null),
            "suspended" => businesses.Where(b => b.SuspendedAt != null && b.SuspensionLiftedAt == null),
            "with-qr" => businesses.Where(b => b.VenueId != null),
            _ => businesses,
        };
        if (!string.IsNullOrWhiteSpace(query.Ward))
        {
            var ward = query.Ward.Trim();
            businesses = businesses.Where(b => b.WardCode == ward);
        }

        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var folded = VietnameseText.Fold(query.Q);
            businesses = businesses.Where(b => b.SearchName.Contains(folded));
        }

        var total = await businesses.CountAsync(cancellationToken);
        var size = query.PageSize ?? 50;
        var items = await businesses.OrderByDescending(b => b.Reminders).ThenBy(b => b.Id).Skip(((query.Page ?? 1) - 1) * size).Take(size).ToListAsync(cancellationToken);
        audit.Record(actor, "view-businesses", "business", "list", null, new { status = query.Status, ward = query.Ward, q = query.Q, page = query.Page ?? 1, count = items.Count });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(new BusinessPage(total, [.. items.Select(b => View(b, null))]));
    }

    /// <summary>A business of the actor's units with its reminders; audited.</summary>
    public async Task<Outcome<BusinessView>> GetAsync(StaffActor actor, long id, CancellationToken cancellationToken)
    {
        if (Refusal<BusinessView>(actor) is { } refused)
        {
            return refused;
        }

        if (await db.Set<Business>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, cancellationToken) is not { } business)
        {
            return NotFound<BusinessView>(id);
        }

        var history = await HistoryAsync(id, cancellationToken);
        audit.Record(actor, "view-business", "business", Id(id), null, null);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(View(business, history));
    }

    /// <summary>
    /// Imports the registry extract (CSV: name, address, ward, kind, phone) into wards of the actor's units: every row is
    /// checked first and one bad row (a ward outside the actor's units included) imports nothing. Rows already imported
    /// are skipped; businesses that registered their QR before the extract arrived are linked to it.
    /// </summary>
    public async Task<Outcome<ImportOutcome>> ImportAsync(StaffActor actor, Stream csv, CancellationToken cancellationToken)
    {
        if (Refusal<ImportOutcome>(actor) is { } refused)
        {
            return refused;
        }

        var (rows, unreadable) = await CsvRows.ReadAsync(csv, Columns, [], MaxImportRows, cancellationToken);
        if (unreadable is not null)
        {
            return Outcome.Invalid<ImportOutcome>("file", unreadable);
        }

        var wards = await WardsAsync(cancellationToken);
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var businesses = new List<Business>();
        foreach (var (line, fields) in rows)
        {
            if (Check(fields, wards, now, out var problems) is { } business)
            {
                businesses.Add(business);
            }

            foreach (var (field, messages) in problems)
            {
                errors[$"line {line}: {field}"] = messages;
            }
        }

        if (errors.Count > 0)
        {
            return Outcome.Invalid<ImportOutcome>(errors.Take(100).ToDictionary());
        }

        var fresh = await WithoutKnownAsync(businesses, cancellationToken);
        var withQr = await LinkVenuesAsync(fresh, cancellationToken);
        db.Set<Business>().AddRange(fresh);
        var outcome = new ImportOutcome(fresh.Count, businesses.Count - fresh.Count, withQr);
        var wardCount = businesses.Select(b => b.WardCode).Distinct().Count();
        audit.Record(actor, "import-businesses", "business", "registry", null, new { outcome.Imported, outcome.AlreadyImported, outcome.AlreadyWithQr, wards = wardCount });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(outcome);
    }

    /// <summary>Logs a reminder to a business without a QR; the reminder after the rule's number proposes its suspension.</summary>
    public async Task<Outcome<BusinessView>> RemindAsync(StaffActor actor, long id, ReminderRequest request, CancellationToken cancellationToken)
    {
        if (Refusal<BusinessView>(actor) is { } refused)
        {
            return refused;
        }

        if (await db.Set<Business>().SingleOrDefaultAsync(b => b.Id == id, cancellationToken) is not { } business)
        {
            return NotFound<BusinessView>(id);
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
            return Outcome.Invalid<BusinessView>(errors);
        }

        if (business.HasQr)
        {
            return new Outcome<BusinessView>.Conflict($"Business {id} created its QR (venue {business.VenueCode}); there is nothing to remind.");
        }

        db.Add(new BusinessReminder { BusinessId = id, Date = date, Method = request.Method!, Officer = actor.Name, Note = note, LoggedAt = now });
        business.Reminders++;
        business.Version++;
        audit.Record(actor, "remind", "business", Id(id), null, new { date, request.Method, business.Reminders });
        if (business.Reminders > options.RemindersBeforeSuspension && business.SuspensionProposedAt is null && !business.IsSuspended)
        {
            business.SuspensionProposedAt = now;
            audit.Record(actor, "propose-suspension", "business", Id(id), null, new { business.Reminders, rule = $"more than {options.RemindersBeforeSuspension} reminders without a QR" });
        }

        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(View(business, await HistoryAsync(id, cancellationToken)));
    }

    /// <summary>Confirms the proposed suspension of a business that still has no QR.</summary>
    public async Task<Outcome<BusinessView>> SuspendAsync(StaffActor actor, long id, CancellationToken cancellationToken)
    {
        if (Refusal<BusinessView>(actor) is { } refused)
        {
            return refused;
        }

        if (await db.Set<Business>().SingleOrDefaultAsync(b => b.Id == id, cancellationToken) is not { } business)
        {
            return NotFound<BusinessView>(id);
        }

        if (business.HasQr || business.SuspensionProposedAt is null || business.IsSuspended)
        {
            return new Outcome<BusinessView>.Conflict(business.HasQr ? $"Business {id} has its QR (venue {business.VenueCode})."
                : business.IsSuspended ? $"Business {id} is already suspended."
                : $"Business {id} has {business.Reminders} reminder(s); a suspension is proposed only after more than the rule's number.");
        }

        business.SuspendedAt = time.GetUtcNow();
        business.SuspendedBy = actor.Name;
        business.SuspensionLiftedAt = null;
        business.Version++;
        audit.Record(actor, "confirm-suspension", "business", Id(id), null, new { business.Reminders, business.SuspendedBy });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(View(business, await HistoryAsync(id, cancellationToken)));
    }

    /// <summary>Refuses actors without the role; for the others, narrows the scope to their units.</summary>
    private Outcome<T>? Refusal<T>(StaffActor actor)
    {
        if (!MayManage(actor))
        {
            return new Outcome<T>.Forbidden(text["Outcome_RoleMayNot"]);
        }

        scope.RestrictTo(actor);
        return null;
    }

    /// <summary>The wards the actor may import into (the scope keeps to their units), by code and by folded name.</summary>
    private async Task<(Dictionary<string, Ward> ByCode, ILookup<string, Ward> ByName)> WardsAsync(CancellationToken cancellationToken)
    {
        // Today's wards: the units of today's set with none below them, each with the unit that handles it (ADR 0011).
        var set = (await catalog.TodayAsync()).Set;
        // The parents are read apart: IgnoreQueryFilters would lift the scope from the whole query.
        var parents = (await db.Units.IgnoreQueryFilters().AsNoTracking().Where(u => u.SetId == set.Id && u.ParentCode != null)
            .Select(u => u.ParentCode!).Distinct().ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var wards = (await db.Units.AsNoTracking().Where(u => u.SetId == set.Id && u.ParentCode != null)
                .Select(u => new { u.Code, u.GsoCode, u.UnitPath, u.SearchName }).ToListAsync(cancellationToken))
            .Where(u => !parents.Contains(u.Code))
            .Select(u => new Ward(u.GsoCode, u.Code, u.UnitPath, HandlingUnit.KeyAtDepth(u.UnitPath, set.HandlingDepth), u.SearchName)).ToList();
        return (wards.ToDictionary(w => w.Code, StringComparer.Ordinal), wards.ToLookup(w => StripPrefix(w.SearchName), StringComparer.Ordinal));
    }

    /// <summary>Checks one row; returns the business it describes (not yet added) or null with the problems by field.</summary>
    private static Business? Check(Dictionary<string, string> fields, (Dictionary<string, Ward> ByCode, ILookup<string, Ward> ByName) wards, DateTimeOffset now, out Dictionary<string, string[]> problems)
    {
        problems = [];
        var name = VenueRules.Text("name", fields["name"], VenueRules.MaxName, true, problems);
        var address = VenueRules.Text("address", fields["address"], VenueRules.MaxAddress, true, problems);
        var kind = string.IsNullOrEmpty(fields["kind"]) ? "other" : fields["kind"].ToLowerInvariant();
        if (!VenueKinds.All.Contains(kind))
        {
            problems["kind"] = [$"'kind' must be one of: {string.Join(", ", VenueKinds.All)} (or empty for other)."];
        }

        string? phone = null;
        if (fields["phone"].Length > 0 && (phone = PhoneNumbers.Normalize(fields["phone"])) is null)
        {
            problems["phone"] = ["'phone' must be a Vietnamese phone number (or empty)."];
        }

        var wardText = fields["ward"];
        var matches = wards.ByCode.TryGetValue(wardText, out var exact) ? [exact] : wards.ByName[StripPrefix(VietnameseText.Fold(wardText))].ToList();
        if (matches.Count != 1)
        {
            problems["ward"] = [matches.Count == 0
                ? $"There is no ward '{PlainText.Shorten(wardText, 40)}' in your units."
                : $"'{PlainText.Shorten(wardText, 40)}' names {matches.Count} wards ({string.Join(", ", matches.Select(m => m.Code))}); use the ward code."];
        }

        return problems.Count > 0 ? null : new Business
        {
            Name = name!,
            Address = address!,
            WardCode = matches[0].Key,
            DistrictCode = matches[0].DistrictCode,
            UnitPath = matches[0].UnitPath,
            Kind = kind,
            Phone = phone,
            SearchName = VietnameseText.Fold(name!),
            ImportedAt = now,
        };
    }

    /// <summary>Drops rows already imported (same ward, name and phone), so a fresh extract can be loaded again.</summary>
    private async Task<List<Business>> WithoutKnownAsync(List<Business> businesses, CancellationToken cancellationToken)
    {
        var wards = businesses.Select(b => b.WardCode).Distinct().ToList();
        var known = (await db.Set<Business>().IgnoreQueryFilters().Where(b => wards.Contains(b.WardCode))
            .Select(b => new { b.WardCode, b.SearchName, b.Phone }).ToListAsync(cancellationToken))
            .Select(b => (b.WardCode, b.SearchName, b.Phone)).ToHashSet();
        return businesses.Where(b => known.Add((b.WardCode, b.SearchName, b.Phone))).ToList();
    }

    /// <summary>Links businesses that registered their QR before the extract arrived; returns how many.</summary>
    private async Task<int> LinkVenuesAsync(List<Business> fresh, CancellationToken cancellationToken)
    {
        var wards = fresh.Select(b => b.WardCode).Distinct().ToList();
        var venues = await db.Venues.IgnoreQueryFilters().AsNoTracking().Where(v => wards.Contains(v.WardCode))
            .Select(v => new { v.Id, v.Code, v.WardCode, v.OwnerPhoneHash, v.Name, v.CreatedAt }).ToListAsync(cancellationToken);
        var linked = new HashSet<long>(await db.Set<Business>().IgnoreQueryFilters().Where(b => b.VenueId != null && wards.Contains(b.WardCode))
            .Select(b => b.VenueId!.Value).ToListAsync(cancellationToken));
        var withQr = 0;
        foreach (var business in fresh)
        {
            var phone = business.Phone is null ? null : Venue.PhoneLookup(personal, business.Phone);
            bool SamePhone(byte[] owner) => phone is not null && owner.AsSpan().SequenceEqual(phone);
            var venue = venues.Where(v => v.WardCode == business.WardCode && !linked.Contains(v.Id)
                    && (SamePhone(v.OwnerPhoneHash) || VietnameseText.Fold(v.Name) == business.SearchName))
                .OrderByDescending(v => SamePhone(v.OwnerPhoneHash)).ThenBy(v => v.Id).FirstOrDefault();
            if (venue is not null)
            {
                business.VenueId = venue.Id;
                business.VenueCode = venue.Code;
                business.QrCreatedAt = venue.CreatedAt;
                linked.Add(venue.Id);
                withQr++;
            }
        }

        return withQr;
    }

    private async Task<List<ReminderView>> HistoryAsync(long id, CancellationToken cancellationToken) =>
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

    private static Outcome<T>.NotFound NotFound<T>(long id) => new($"There is no business {id} in your units.");
}
