using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Declarations;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Tracing;

/// <summary>A QR venue whose name or address holds a declared place's words: where the officer may look for the case's contacts.</summary>
public sealed record VenueHint(string Code, string Name, string Address);

/// <summary>A place the case declared having visited, on a day within the look-back, with the venues it may be.</summary>
public sealed record PlaceLead(string Place, DateOnly Date, DateTimeOffset DeclaredAt, IReadOnlyList<VenueHint> Venues);

/// <summary>An exposure the case declared (contact with a confirmed case, …), in words.</summary>
public sealed record ExposureLead(string Code, string Vi, string En, DateTimeOffset DeclaredAt);

/// <summary>
/// What the case's own health declarations of the look-back say: the places they visited and the exposures they
/// ticked. Leads for the officer to follow by hand, beside the F1s found from check-ins; never another person.
/// </summary>
public sealed record CaseLeadsView(long CaseId, DateOnly From, int Declarations, IReadOnlyList<PlaceLead> Places, IReadOnlyList<ExposureLead> Exposures);

/// <summary>
/// Reads a case's declarations within the look-back, found by the person's keyed hash (phone with name, as
/// declarations are) through their person-days, and the case's own declaration; opens them and keeps the places and
/// exposures only. Each read is audited, as it opens what the person declared.
/// </summary>
public sealed class CaseLeads(CitizenDb db, UnitScope scope, PersonalData personal, Auditor audit, TimeProvider time, ExposureRuleBook ruleBook)
{
    /// <summary>At most this many venues are offered for one declared place.</summary>
    public const int HintsPerPlace = 3;

    public async Task<Outcome<CaseLeadsView>> LeadsAsync(StaffActor actor, long id, CancellationToken cancellationToken)
    {
        if (!actor.HasAnyRole(CaseDesk.Tracers))
        {
            return new Outcome<CaseLeadsView>.Forbidden("Only health officers see a case's leads.");
        }

        scope.RestrictTo(actor);
        var found = await db.Set<TracingCase>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (found is null)
        {
            return new Outcome<CaseLeadsView>.NotFound($"No case {id} in your units.");
        }

        var rules = await ruleBook.CurrentAsync(found.CityCode, cancellationToken);
        var firstDay = found.FirstExposedDay(rules.Rules);
        var declarations = await DeclarationsAsync(found, firstDay, cancellationToken);
        var places = new List<PlaceLead>();
        var exposures = new Dictionary<string, ExposureLead>(StringComparer.Ordinal);
        foreach (var (at, payload) in declarations.OrderByDescending(d => d.At))
        {
            foreach (var place in payload.PlacesVisited.Where(p => p.Date >= firstDay))
            {
                if (!places.Any(p => p.Date == place.Date && VietnameseText.Fold(p.Place) == VietnameseText.Fold(place.Place)))
                {
                    places.Add(new PlaceLead(place.Place, place.Date, at, await HintsAsync(found.CityCode, place.Place, cancellationToken)));
                }
            }

            foreach (var code in payload.Exposures.Where(c => !exposures.ContainsKey(c)))
            {
                var known = QuestionnaireRules.ExposureCodes.FirstOrDefault(e => e.Code == code);
                exposures[code] = new ExposureLead(code, known.Text?.Vi ?? code, known.Text?.En ?? code, at);
            }
        }

        audit.Record(actor, "case.leads.read", "case", id.ToString(CultureInfo.InvariantCulture), null, new { declarations = declarations.Count });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(new CaseLeadsView(id, firstDay, declarations.Count, [.. places.OrderBy(p => p.Date).ThenBy(p => p.Place, StringComparer.Ordinal)], [.. exposures.Values]));
    }

    /// <summary>
    /// The person's declarations from the first exposed day on: the case's own, and those found through the person-days
    /// (an exact look-up per day, as declarations carry no index by person), each day's read by time.
    /// </summary>
    private async Task<List<(DateTimeOffset At, DeclarationPayload Payload)>> DeclarationsAsync(TracingCase found, DateOnly firstDay, CancellationToken cancellationToken)
    {
        var person = Declaration.PersonOf(personal, personal.Decrypt(found.SealedPhone), personal.Decrypt(found.SealedName));
        var today = CityTime.DayOf(time.GetUtcNow());
        var range = Enumerable.Range(0, Math.Max(0, today.DayNumber - firstDay.DayNumber) + 1).Select(firstDay.AddDays).ToList();
        var days = await db.Set<DeclarationPersonDay>().AsNoTracking()
            .Where(d => d.Definition == ReportingDay.Calendar && range.Contains(d.Day) && d.PersonHash == person).Select(d => d.Day).ToListAsync(cancellationToken);
        var rows = new Dictionary<long, (DateTimeOffset At, byte[] Payload)>();
        foreach (var day in days)
        {
            var (from, to) = (CityTime.StartOfDay(day), CityTime.StartOfDay(day.AddDays(1)));
            foreach (var d in await db.Set<Declaration>().IgnoreQueryFilters().AsNoTracking().Where(d => d.At >= from && d.At < to && d.PersonHash == person)
                .Select(d => new { d.Id, d.At, d.Payload }).ToListAsync(cancellationToken))
            {
                rows[d.Id] = (d.At, d.Payload);
            }
        }

        if (found.DeclarationId is { } own && !rows.ContainsKey(own)
            && await db.Set<Declaration>().IgnoreQueryFilters().AsNoTracking().Where(d => d.Id == own).Select(d => new { d.At, d.Payload }).SingleOrDefaultAsync(cancellationToken) is { } opened)
        {
            rows[own] = (opened.At, opened.Payload);
        }

        return [.. rows.Values.Select(r => (r.At, DeclarationPayload.Open(personal, r.Payload)))];
    }

    /// <summary>Open venues of the case's city whose folded name and address hold the place's folded words.</summary>
    private async Task<IReadOnlyList<VenueHint>> HintsAsync(string cityCode, string place, CancellationToken cancellationToken)
    {
        var words = VietnameseText.Fold(place).Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length > 1).Take(6).ToList();
        if (words.Count == 0)
        {
            return [];
        }

        var hints = new List<VenueHint>();
        foreach (var path in await db.Units.IgnoreQueryFilters().Where(u => u.ParentCode == null && u.GsoCode == cityCode).Select(u => u.UnitPath).ToListAsync(cancellationToken))
        {
            var venues = db.Venues.IgnoreQueryFilters().AsNoTracking().Where(v => v.ClosedAt == null && v.UnitPath.StartsWith(path));
            foreach (var word in words)
            {
                venues = venues.Where(v => v.SearchText.Contains(word));
            }

            hints.AddRange(await venues.OrderBy(v => v.Name).Take(HintsPerPlace).Select(v => new VenueHint(v.Code, v.Name, v.Address)).ToListAsync(cancellationToken));
        }

        return [.. hints.DistinctBy(h => h.Code).Take(HintsPerPlace)];
    }
}
