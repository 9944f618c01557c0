using CitizenSensor.Data;
using CitizenSensor.Features.Declarations;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Venues;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Tracing;

/// <summary>What tracing needs of a venue: its name (for the notices), its kind (for the rules' weights) and its ward, where exposures there belong.</summary>
internal sealed record TracedPlace(string Name, string Kind, string WardCode, string DistrictCode, string UnitPath);

/// <summary>
/// Turns the people a trace found into the health officers' follow-up tasks, saved with the exposures: one call per
/// person, to the health officer of the ward where they live (their latest declaration's) or, when that is unknown, of
/// the venue's ward, with the quarantine (F1) or home monitoring (F2) the rules give, counted from the day of the last
/// contact. A person who already has an open task (a declaration's, or another case's) has this exposure joined to it;
/// a person whose task for this exposure was worked and closed is not called again because the case was traced again.
/// </summary>
public sealed class ContactTasks(CitizenDb db, PersonalData personal)
{
    /// <summary>How soon an F1 must be reached: the figure "F1 reached within 24 hours" counts against it.</summary>
    public static readonly TimeSpan ReachF1Within = TimeSpan.FromHours(24);

    /// <summary>F2s come after F1s: they are due a day later.</summary>
    public static readonly TimeSpan ReachF2Within = TimeSpan.FromHours(48);

    private sealed record Contact(string Phone, string? Name);

    private sealed record Home(string WardCode, string DistrictCode, string UnitPath);

    /// <summary>Raises or joins the tasks of the exposures a trace added or strengthened; returns how many tasks are new.</summary>
    internal async Task<int> RaiseAsync(IReadOnlyList<Exposure> exposures, ExposureRules rules, IReadOnlyDictionary<long, TracedPlace> places, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var contacts = (await InChunks.ReadAsync(exposures.Select(e => e.ContactCheckInId).Distinct(), ids =>
                db.Set<CheckIn>().AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Phone, c.Name }).ToListAsync(cancellationToken)))
            .ToDictionary(c => c.Id, c => new Contact(personal.Decrypt(c.Phone), personal.Open(c.Name)));
        var people = exposures.Where(e => contacts.ContainsKey(e.ContactCheckInId)).DistinctBy(e => e.ContactCheckInId)
            .ToDictionary(e => e.ContactCheckInId, e => contacts[e.ContactCheckInId] is var c && c.Name is { } name ? Declaration.PersonOf(personal, c.Phone, name) : personal.Hash(c.Phone));
        var tasks = await OpenTasksAsync(people.Values, cancellationToken);
        var homes = await HomesAsync([.. people.Where(p => contacts[p.Key].Name is not null).Select(p => p.Value)], rules.LookBackDays, now, cancellationToken);
        var raised = 0;
        foreach (var exposure in exposures.OrderBy(e => e.Generation))
        {
            if (!people.TryGetValue(exposure.ContactCheckInId, out var person))
            {
                continue; // the check-in passed its retention since it was found
            }

            var key = Convert.ToBase64String(person);
            if (!tasks.TryGetValue(key, out var task))
            {
                if (exposure.FollowUpId is not null)
                {
                    continue; // called already and closed: a stronger exposure found again does not reopen it
                }

                var place = places[exposure.VenueId];
                var home = homes.GetValueOrDefault(key) ?? new Home(place.WardCode, place.DistrictCode, place.UnitPath);
                task = new FollowUpTask { PersonHash = person, WardCode = home.WardCode, DistrictCode = home.DistrictCode, UnitPath = home.UnitPath, CreatedAt = now, DueAt = DateTimeOffset.MaxValue };
                db.Add(task);
                tasks[key] = task;
                raised++;
            }
            else
            {
                task.Revision++;
            }

            Join(task, exposure, rules, now);
            exposure.FollowUp = task;
        }

        return raised;
    }

    /// <summary>The people's open tasks (a declaration's, or another case's), by their hash.</summary>
    private async Task<Dictionary<string, FollowUpTask>> OpenTasksAsync(IEnumerable<byte[]> people, CancellationToken cancellationToken) =>
        (await InChunks.ReadAsync(people.DistinctBy(Convert.ToBase64String), hashes =>
            db.Set<FollowUpTask>().IgnoreQueryFilters().Where(t => hashes.Contains(t.PersonHash) && t.Status == FollowUpStatus.Open).ToListAsync(cancellationToken)))
        .GroupBy(t => Convert.ToBase64String(t.PersonHash)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    private static void Join(FollowUpTask task, Exposure exposure, ExposureRules rules, DateTimeOffset now)
    {
        var from = CityTime.DayOf(exposure.To);
        var until = from.AddDays(rules.QuarantineDaysFor(exposure.Generation));
        var due = now + (exposure.Generation == 1 ? ReachF1Within : ReachF2Within);
        task.Exposures |= exposure.Generation == 1 ? Exposures.ContactConfirmed : Exposures.ContactSuspected;
        if (task.Generation is null || exposure.Generation < task.Generation)
        {
            (task.Generation, task.ContactCheckInId) = (exposure.Generation, exposure.ContactCheckInId);
        }

        task.ContactCheckInId ??= exposure.ContactCheckInId;
        task.QuarantineFrom = task.QuarantineFrom is { } f && f < from ? f : from;
        task.QuarantineUntil = task.QuarantineUntil is { } u && u > until ? u : until;
        task.DueAt = task.DueAt < due ? task.DueAt : due;
    }

    /// <summary>
    /// The ward of each person's latest declaration within the look-back, by their hash, from their person-days (the
    /// declarations themselves carry no index by person, to keep their ingest fast).
    /// </summary>
    private async Task<Dictionary<string, Home>> HomesAsync(IEnumerable<byte[]> people, int days, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = CityTime.DayOf(now);
        var recent = Enumerable.Range(0, days + 1).Select(today.AddDays(-days).AddDays).ToList();
        var latest = (await InChunks.ReadAsync(people, hashes => db.Set<DeclarationPersonDay>().AsNoTracking()
                .Where(d => d.Definition == ReportingDay.Calendar && recent.Contains(d.Day) && hashes.Contains(d.PersonHash))
                .Select(d => new { d.PersonHash, d.Day, d.WardCode }).ToListAsync(cancellationToken)))
            .GroupBy(d => Convert.ToBase64String(d.PersonHash)).Select(g => g.MaxBy(d => d.Day)!);
        var homes = new Dictionary<string, Home>(StringComparer.Ordinal);
        var wards = new Dictionary<string, Home?>(StringComparer.Ordinal); // the few wards people declared, looked up once each
        foreach (var (person, ward) in latest.Select(d => (Convert.ToBase64String(d.PersonHash), d.WardCode)))
        {
            if (!wards.TryGetValue(ward, out var home))
            {
                var info = await WardInfo.ByKeyAsync(db.Units.IgnoreQueryFilters(), db, ward, cancellationToken);
                wards[ward] = home = info is null ? null : new Home(info.Code, info.DistrictCode, info.UnitPath);
            }

            if (home is not null)
            {
                homes[person] = home;
            }
        }

        return homes;
    }
}
