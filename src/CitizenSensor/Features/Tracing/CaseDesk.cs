using System.Text.RegularExpressions;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Declarations;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Venues;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Tracing;

/// <summary>What a health officer gives to open a case (F0): the person's identity, or a declaration (or follow-up task) that holds it.</summary>
public sealed record OpenCaseRequest(string? Phone, string? Name, string? CitizenId, DateOnly? TestDate, DateOnly? OnsetDate, string? Isolation, string? Ward, string? Facility,
    long? DeclarationId = null, long? FollowUpId = null);

/// <summary>A case as staff see it, without its identity.</summary>
public sealed record CaseView(long Id, string Status, DateOnly TestDate, DateOnly? OnsetDate, string Isolation, string? Facility, UnitName Ward,
    DateTimeOffset CreatedAt, DateTimeOffset? TracedAt, int? RuleVersion, DateTimeOffset? UpdatedAt = null, string? UpdatedBy = null, int Revision = 0);

/// <summary>
/// A change to a case: its status (active, recovered, deceased, moved-away), where the person isolates (home or
/// facility, with its name) and its ward; what is left out stays. <c>revision</c>, if given, must be the case's current one.
/// </summary>
public sealed record UpdateCaseRequest(string? Status, string? Isolation, string? Facility, string? Ward, int? Revision);

/// <summary>A case's identity, opened for a reason (audited).</summary>
public sealed record CaseIdentity(long Id, string Phone, string Name, string? CitizenId);

/// <summary>An exposure as a list shows it: where, when, how long, how strong; never who the case is.</summary>
public sealed record ExposureView(long Id, byte Generation, string VenueCode, string VenueName, DateTimeOffset From, DateTimeOffset To,
    double OverlapMinutes, double Score, bool HighRisk, int RuleVersion, UnitName Ward);

/// <summary>
/// What a trace did: the rules' version, the first day read, the case's check-ins, the F1s found (new, stronger, high
/// risk), when asked for, the F2s found through them and how many were new, and the follow-up tasks it raised (people
/// who already had an open task have the exposure joined to it instead), and the notices it sent.
/// </summary>
public sealed record TraceResult(long CaseId, int RuleVersion, DateOnly From, int CaseCheckIns, int People, int Added, int Strengthened, int HighRisk,
    int SecondPeople, int SecondAdded, int TasksRaised, int Notified);

/// <summary>The wards (by unit set and code) and cities' GSO codes (by key) a desk has looked up, kept for the rows of one import.</summary>
internal sealed class UnitLookups
{
    public Dictionary<string, WardInfo?> Wards { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Cities { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Cases (F0) and tracing from their check-ins to F1: the rules for opening a case, reading its identity, and finding
/// who was at the same venues in overlapping windows under the city's exposure rules. The API and the pages call these;
/// each change is saved with its audit entry, or not at all.
/// </summary>
public sealed partial class CaseDesk(CitizenDb db, UnitScope scope, PersonalData personal, Auditor audit, TimeProvider time, JurisdictionCatalog catalog)
{
    public static readonly string[] Tracers = [StaffRoles.Admin, StaffRoles.HealthOfficer];

    /// <summary>
    /// Opens a case from what the officer types, or from a declaration (or the follow-up task of one, whose outcome is
    /// "tested positive"): the person's phone, name and citizen ID then come from the declaration, sealed as they were,
    /// and its ward is where they isolate unless the officer names another.
    /// </summary>
    public async Task<Outcome<CaseView>> OpenAsync(StaffActor actor, OpenCaseRequest request, CancellationToken cancellationToken)
    {
        if (!actor.HasAnyRole(Tracers))
        {
            return new Outcome<CaseView>.Forbidden("Only health officers open cases.");
        }

        scope.RestrictTo(actor);
        var errors = new Dictionary<string, string[]>();
        var (opened, source) = await DraftAsync(actor, request, errors, new UnitLookups(), cancellationToken);
        if (opened is null)
        {
            return Outcome.Invalid<CaseView>(errors);
        }

        // The case and its audit entry (which names the case's id) are committed together.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Add(opened);
            await db.SaveChangesAsync(cancellationToken);
            audit.Record(actor, "case.open", "case", opened.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null,
                new { ward = opened.WardCode, opened.TestDate, opened.OnsetDate, isolation = opened.Isolation.ToString(), source });
            await db.SaveChangesAsync(cancellationToken);
            var tally = new TracingTally();
            tally.Case(opened.CreatedAt, opened.WardCode, opened.DistrictCode, opened.UnitPath);
            await tally.WriteAsync(db, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return Outcome.Done(await ViewAsync(opened, cancellationToken));
    }

    /// <summary>
    /// Checks a request to open a case, field by field into <paramref name="errors"/>, and returns the case it describes
    /// (not yet added) and where it came from; the caller's scope must be set. <paramref name="known"/> keeps the wards
    /// and cities already looked up (an import names the same few again and again).
    /// </summary>
    internal async Task<(TracingCase? Draft, string Source)> DraftAsync(
        StaffActor actor, OpenCaseRequest request, Dictionary<string, string[]> errors, UnitLookups known, CancellationToken cancellationToken)
    {
        var (declared, source) = await DeclaredAsync(request, errors, cancellationToken);
        var (phone, name, citizenId) = CheckIdentity(declared is null ? request : request with
        {
            Phone = declared.Phone,
            Name = declared.Name ?? request.Name, // a check-in without a name: the officer gives it
            CitizenId = declared.CitizenId ?? request.CitizenId,
        }, errors);
        var today = CityTime.DayOf(time.GetUtcNow());
        var (testDate, onsetDate) = CheckDates(request, today, errors);
        var isolation = ParseIsolation(request.Isolation, request.Facility, errors);
        var set = (await catalog.GetAsync()).At(testDate ?? today).Set;
        var ward = !string.IsNullOrWhiteSpace(request.Ward) ? await NamedWardAsync(set, request.Ward.Trim(), known, cancellationToken)
            : declared is not null ? await WardInfo.ByKeyAsync(db.Units, db, declared.WardCode, cancellationToken)
            : null;
        if (ward is null)
        {
            errors["ward"] = [$"'ward' is the code of a ward or commune of your units in the units of the test day ({set.Name}), where the person isolates."];
        }

        if (errors.Count > 0)
        {
            return (null, source);
        }

        var cityKey = HandlingUnit.TopKey(ward!.UnitPath);
        if (!known.Cities.TryGetValue(cityKey, out var city))
        {
            known.Cities[cityKey] = city = await db.Units.IgnoreQueryFilters().Where(u => u.Code == cityKey).Select(u => u.GsoCode).SingleAsync(cancellationToken);
        }

        var draft = new TracingCase
        {
            PersonHash = personal.Hash(phone!),
            SealedPhone = personal.Encrypt(phone!),
            SealedName = personal.Encrypt(name!),
            SealedCitizenId = personal.Seal(citizenId),
            TestDate = testDate!.Value,
            OnsetDate = onsetDate,
            Isolation = isolation!.Value,
            FacilityName = isolation == IsolationPlace.Facility ? request.Facility!.Trim() : null,
            WardCode = ward.Code,
            DistrictCode = ward.DistrictCode,
            UnitPath = ward.UnitPath,
            CityCode = city,
            DeclarationId = declared?.Id,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = actor.Name,
        };

        return (draft, source);
    }

    private async Task<WardInfo?> NamedWardAsync(UnitSetInfo set, string code, UnitLookups known, CancellationToken cancellationToken)
    {
        var key = set.Id + "/" + code;
        if (!known.Wards.TryGetValue(key, out var ward))
        {
            known.Wards[key] = ward = await WardInfo.NamedAsync(db.Units, db, set, code, cancellationToken);
        }

        return ward;
    }

    /// <summary>
    /// Changes a case's status, isolation or ward, each field checked, with an audit entry of what it was and what it
    /// became; a ward must be in the officer's units (the case then belongs to it).
    /// </summary>
    public async Task<Outcome<CaseView>> UpdateAsync(StaffActor actor, long id, UpdateCaseRequest request, CancellationToken cancellationToken)
    {
        var (found, refusal) = await FindAsync(actor, id, cancellationToken);
        if (found is null)
        {
            return refusal!;
        }

        var errors = new Dictionary<string, string[]>();
        var status = request.Status is null ? null : ParseStatus(request.Status);
        if (request.Status is not null && status is null)
        {
            errors["status"] = ["'status' is active, recovered, deceased or moved-away."];
        }

        var isolation = request.Isolation is null && request.Facility is null ? null
            : ParseIsolation(request.Isolation ?? Kebab(found.Isolation.ToString()), request.Facility ?? found.FacilityName, errors);
        var set = (await catalog.GetAsync()).At(found.TestDate).Set;
        var ward = string.IsNullOrWhiteSpace(request.Ward) ? null : await WardInfo.NamedAsync(db.Units, db, set, request.Ward.Trim(), cancellationToken);
        if (!string.IsNullOrWhiteSpace(request.Ward) && ward is null)
        {
            errors["ward"] = [$"'ward' is the code of a ward or commune of your units in the units of the test day ({set.Name})."];
        }

        if (errors.Count > 0)
        {
            return Outcome.Invalid<CaseView>(errors);
        }

        if (request.Revision is { } revision && revision != found.Revision)
        {
            return Changed();
        }

        var before = new { status = Kebab(found.Status.ToString()), isolation = Kebab(found.Isolation.ToString()), facility = found.FacilityName, ward = found.WardCode };
        found.Status = status ?? found.Status;
        if (isolation is { } place)
        {
            (found.Isolation, found.FacilityName) = (place, place == IsolationPlace.Facility ? (request.Facility ?? found.FacilityName)!.Trim() : null);
        }

        if (ward is not null)
        {
            (found.WardCode, found.DistrictCode, found.UnitPath) = (ward.Code, ward.DistrictCode, ward.UnitPath);
        }

        (found.UpdatedAt, found.UpdatedBy) = (time.GetUtcNow(), actor.Name);
        found.Revision++;
        audit.Record(actor, "case.update", "case", id.ToString(System.Globalization.CultureInfo.InvariantCulture), before,
            new { status = Kebab(found.Status.ToString()), isolation = Kebab(found.Isolation.ToString()), facility = found.FacilityName, ward = found.WardCode });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Changed();
        }

        return Outcome.Done(await ViewAsync(found, cancellationToken));
    }

    private static Outcome<CaseView> Changed() =>
        new Outcome<CaseView>.Conflict("Another officer updated this case meanwhile: load it again and make your change on the current version.");

    /// <summary>Who the case is, from a declaration or a traced contact's check-in, and the ward it names.</summary>
    private sealed record Declared(long? Id, string WardCode, string Phone, string? Name, string? CitizenId);

    /// <summary>
    /// The person a case is opened from, if the request names a declaration or a follow-up task, in the caller's units;
    /// and where the case came from. A task of a contact who never declared gives the phone and name of the check-in
    /// through which tracing found them.
    /// </summary>
    private async Task<(Declared? Declared, string Source)> DeclaredAsync(OpenCaseRequest request, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var declarationId = request.DeclarationId;
        if (request.FollowUpId is { } taskId)
        {
            var task = await db.Set<FollowUpTask>().AsNoTracking().Where(t => t.Id == taskId)
                .Select(t => new { t.DeclarationId, t.ContactCheckInId, t.WardCode, t.Outcome }).SingleOrDefaultAsync(cancellationToken);
            if (task is null || task.Outcome != FollowUpOutcome.TestedPositive)
            {
                errors["followUpId"] = [task is null ? $"There is no follow-up task {taskId} in your units." : "Record the task's outcome 'tested-positive' first: a case is opened from a positive test."];
                return (null, "follow-up");
            }

            if (task.DeclarationId is null && task.ContactCheckInId is { } checkInId
                && await db.Set<CheckIn>().AsNoTracking().Where(c => c.Id == checkInId).Select(c => new { c.Phone, c.Name }).SingleOrDefaultAsync(cancellationToken) is { } contact)
            {
                return (new Declared(null, task.WardCode, personal.Decrypt(contact.Phone), personal.Open(contact.Name), null), "contact");
            }

            declarationId = task.DeclarationId;
        }

        if (declarationId is not { } id)
        {
            if (request.FollowUpId is not null)
            {
                errors["followUpId"] = ["The task's declaration and check-in have passed their retention: open the case by phone, name and citizen ID."];
            }

            return (null, "phone");
        }

        var declaration = await db.Set<Declaration>().AsNoTracking().Where(d => d.Id == id).Select(d => new { d.Id, d.WardCode, d.Payload }).SingleOrDefaultAsync(cancellationToken);
        if (declaration is null)
        {
            errors[request.FollowUpId is null ? "declarationId" : "followUpId"] = [$"There is no declaration {id} in your units (it may have passed its retention)."];
            return (null, "declaration");
        }

        var payload = DeclarationPayload.Open(personal, declaration.Payload);
        return (new Declared(declaration.Id, declaration.WardCode, payload.Phone, payload.FullName, payload.CitizenId), request.FollowUpId is null ? "declaration" : "follow-up");
    }

    private static (string? Phone, string? Name, string? CitizenId) CheckIdentity(OpenCaseRequest request, Dictionary<string, string[]> errors)
    {
        var phone = PhoneNumbers.Normalize(request.Phone);
        if (phone is null)
        {
            errors["phone"] = [CheckInDesk.PhoneProblem];
        }

        var name = request.Name?.Trim() ?? "";
        if (name.Length is < 1 or > 200)
        {
            errors["name"] = ["'name' is the person's full name, 1 to 200 characters."];
        }
        else
        {
            PlainText.CheckName("name", name, errors);
        }

        var citizenId = string.IsNullOrWhiteSpace(request.CitizenId) ? null : request.CitizenId.Trim();
        if (citizenId is not null && !CitizenIdPattern().IsMatch(citizenId))
        {
            errors["citizenId"] = ["'citizenId' is a citizen ID of 12 digits (or an old ID card of 9)."];
        }

        return (phone, name, citizenId);
    }

    /// <summary>At most this many cases are listed at once.</summary>
    public const int ListLimit = 500;

    /// <summary>The cases of the caller's units, newest first, without identities; <paramref name="status"/> is a status, or null or "all" for every one.</summary>
    public async Task<Outcome<IReadOnlyList<CaseView>>> ListAsync(StaffActor actor, string? status, CancellationToken cancellationToken)
    {
        if (!actor.HasAnyRole(Tracers))
        {
            return new Outcome<IReadOnlyList<CaseView>>.Forbidden("Only health officers see cases.");
        }

        CaseStatus? only = null;
        if (status is not null && status.Trim() != "all")
        {
            only = ParseStatus(status);
            if (only is null)
            {
                return Outcome.Invalid<IReadOnlyList<CaseView>>("status", "'status' is active, recovered, deceased, moved-away or all.");
            }
        }

        scope.RestrictTo(actor);
        var cases = await db.Set<TracingCase>().AsNoTracking().Where(c => only == null || c.Status == only)
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Take(ListLimit).ToListAsync(cancellationToken);
        var wards = await UnitNames.LookUpAsync(db, cases.Select(c => c.WardCode), cancellationToken);
        return Outcome.Done<IReadOnlyList<CaseView>>([.. cases.Select(c => View(c, wards.For(c.WardCode)))]);
    }

    /// <summary>A status as the API writes it (active, recovered, deceased, moved-away), or null.</summary>
    private static CaseStatus? ParseStatus(string status) =>
        Enum.GetValues<CaseStatus>().Cast<CaseStatus?>().FirstOrDefault(s => Kebab(s!.Value.ToString()) == status.Trim());

    public async Task<Outcome<CaseView>> GetAsync(StaffActor actor, long id, CancellationToken cancellationToken)
    {
        var (found, refusal) = await FindAsync(actor, id, cancellationToken);
        return found is null ? refusal! : Outcome.Done(await ViewAsync(found, cancellationToken));
    }

    /// <summary>The case's identity, for a reason that goes into the audit trail with the read.</summary>
    public async Task<Outcome<CaseIdentity>> IdentityAsync(StaffActor actor, long id, string? reason, CancellationToken cancellationToken)
    {
        if (AccessReason.Problem(reason) is { } problem)
        {
            return Outcome.Invalid<CaseIdentity>("reason", problem);
        }

        var (found, refusal) = await FindAsync(actor, id, cancellationToken);
        if (found is null)
        {
            return refusal switch
            {
                Outcome<CaseView>.Forbidden f => new Outcome<CaseIdentity>.Forbidden(f.Message),
                Outcome<CaseView>.NotFound n => new Outcome<CaseIdentity>.NotFound(n.Message),
                _ => new Outcome<CaseIdentity>.NotFound("No such case."),
            };
        }

        audit.Record(actor, "case.identity.read", "case", found.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, new { reason = reason!.Trim() });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(new CaseIdentity(found.Id, personal.Decrypt(found.SealedPhone), personal.Decrypt(found.SealedName), personal.Open(found.SealedCitizenId)));
    }

    /// <summary>The exposures of a case that lie in the caller's units (the venues' wards), strongest first.</summary>
    public async Task<Outcome<IReadOnlyList<ExposureView>>> ExposuresAsync(StaffActor actor, long id, CancellationToken cancellationToken)
    {
        if (!actor.HasAnyRole(Tracers))
        {
            return new Outcome<IReadOnlyList<ExposureView>>.Forbidden("Only health officers see exposures.");
        }

        scope.RestrictTo(actor);
        var views = await ExposureViewsAsync(id, ContactsPath(actor), cancellationToken);
        if (views.Count == 0 && !await db.Set<TracingCase>().AnyAsync(c => c.Id == id, cancellationToken))
        {
            return new Outcome<IReadOnlyList<ExposureView>>.NotFound($"No case {id} in your units.");
        }

        return Outcome.Done(views);
    }

    /// <summary>The units whose contacts an officer sees: theirs (everywhere for an Admin without one); a contact is theirs by the venue's ward or by the ward of the person's task.</summary>
    internal static string ContactsPath(StaffActor actor) => actor.UnitPath ?? (actor.IsAdmin ? "/" : "/nowhere/");

    private async Task<(TracingCase? Case, Outcome<CaseView>? Refusal)> FindAsync(StaffActor actor, long id, CancellationToken cancellationToken)
    {
        if (!actor.HasAnyRole(Tracers))
        {
            return (null, new Outcome<CaseView>.Forbidden("Only health officers see cases."));
        }

        scope.RestrictTo(actor);
        var found = await db.Set<TracingCase>().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        return found is null ? (null, new Outcome<CaseView>.NotFound($"No case {id} in your units.")) : (found, null);
    }

    private async Task<CaseView> ViewAsync(TracingCase found, CancellationToken cancellationToken)
    {
        var wardName = await db.Units.IgnoreQueryFilters().Where(u => u.Code == found.WardCode).Select(u => u.Name).SingleOrDefaultAsync(cancellationToken) ?? found.WardCode;
        return View(found, wardName);
    }

    private static CaseView View(TracingCase found, string wardName) =>
        new(found.Id, Kebab(found.Status.ToString()), found.TestDate, found.OnsetDate, Kebab(found.Isolation.ToString()), found.FacilityName,
            new UnitName(found.WardCode, wardName), found.CreatedAt, found.TracedAt, found.RuleVersion, found.UpdatedAt, found.UpdatedBy, found.Revision);

    private async Task<IReadOnlyList<ExposureView>> ExposureViewsAsync(long caseId, string path, CancellationToken cancellationToken)
    {
        var rows = await db.Set<Exposure>().IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.CaseId == caseId && (e.UnitPath.StartsWith(path) || (e.FollowUp != null && e.FollowUp.UnitPath.StartsWith(path))))
            .Join(db.Venues.IgnoreQueryFilters(), e => e.VenueId, v => v.Id, (e, v) => new { e, v.Code, v.Name })
            .ToListAsync(cancellationToken);
        var wards = await UnitNames.LookUpAsync(db, rows.Select(r => r.e.WardCode), cancellationToken);
        return [.. rows.OrderBy(r => r.e.Generation).ThenByDescending(r => r.e.HighRisk).ThenByDescending(r => r.e.Score).ThenBy(r => r.e.From)
            .Select(r => new ExposureView(r.e.Id, r.e.Generation, r.Code, r.Name, r.e.From, r.e.To, r.e.OverlapMinutes, r.e.Score, r.e.HighRisk, r.e.RuleVersion,
                new UnitName(r.e.WardCode, wards.For(r.e.WardCode))))];
    }

    private static (DateOnly? Test, DateOnly? Onset) CheckDates(OpenCaseRequest request, DateOnly today, Dictionary<string, string[]> errors)
    {
        var earliest = today.AddYears(-5);
        if (request.TestDate is not { } test || test > today || test < earliest)
        {
            errors["testDate"] = [$"'testDate' is the day of the positive test (YYYY-MM-DD), not after today ({today:yyyy-MM-dd}) nor before {earliest:yyyy-MM-dd}."];
            return (null, null);
        }

        if (request.OnsetDate is { } onset && (onset > test.AddDays(30) || onset < test.AddDays(-30) || onset > today))
        {
            errors["onsetDate"] = ["'onsetDate' is the first day of symptoms, within 30 days of the test and not after today (leave it out when there were none)."];
        }

        return (test, request.OnsetDate);
    }

    private static IsolationPlace? ParseIsolation(string? isolation, string? facility, Dictionary<string, string[]> errors)
    {
        IsolationPlace? place = isolation?.Trim().ToLowerInvariant() switch
        {
            "home" => IsolationPlace.Home,
            "facility" => IsolationPlace.Facility,
            _ => null,
        };
        if (place is null)
        {
            errors["isolation"] = ["'isolation' is home or facility."];
        }
        else if (place == IsolationPlace.Facility)
        {
            var name = facility?.Trim() ?? "";
            if (name.Length is < 1 or > 200)
            {
                errors["facility"] = ["'facility' names the isolation facility (1 to 200 characters)."];
            }
            else
            {
                PlainText.CheckName("facility", name, errors);
            }
        }

        return place;
    }

    private static string Kebab(string name) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(name);

    [GeneratedRegex("^(?:[0-9]{9}|[0-9]{12})$")]
    private static partial Regex CitizenIdPattern();
}
