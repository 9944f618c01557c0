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
        var ids = exposures.Select(e => e.ContactCheckInId).Distinct().ToList();
        var contacts = (await db.Set<CheckIn>().AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Phone, c.Name }).ToListAsync(cancellationToken))
            .ToDictionary(c => c.Id, c => new Contact(personal.Decrypt(c.Phone), personal.Open(c.Name)));
        var tasks = new Dictionary<string, FollowUpTask?>(StringComparer.Ordinal);
        var wards = new Dictionary<string, Home?>(StringComparer.Ordinal); // the few wards people declared, looked up once each
        var raised = 0;
        foreach (var exposure in exposures.OrderBy(e => e.Generation))
        {
            if (!contacts.TryGetValue(exposure.ContactCheckInId, out var contact))
            {
                continue; // the check-in passed its retention since it was found
            }

            var person = contact.Name is { } name ? Declaration.PersonOf(personal, contact.Phone, name) : personal.Hash(contact.Phone);
            var key = Convert.ToBase64String(person);
            if (!tasks.TryGetValue(key, out var task))
            {
                task = await db.Set<FollowUpTask>().IgnoreQueryFilters().SingleOrDefaultAsync(t => t.PersonHash == person && t.Status == FollowUpStatus.Open, cancellationToken);
            }

            if (task is null)
            {
                if (exposure.FollowUpId is not null)
                {
                    continue; // called already and closed: a stronger exposure found again does not reopen it
                }

                var place = places[exposure.VenueId];
                var home = contact.Name is null ? null : await HomeAsync(person, rules.LookBackDays, now, wards, cancellationToken);
                home ??= new Home(place.WardCode, place.DistrictCode, place.UnitPath);
                task = new FollowUpTask { PersonHash = person, WardCode = home.WardCode, DistrictCode = home.DistrictCode, UnitPath = home.UnitPath, CreatedAt = now, DueAt = DateTimeOffset.MaxValue };
                db.Add(task);
                raised++;
            }
            else
            {
                task.Revision++;
            }

            Join(task, exposure, rules, now);
            tasks[key] = task;
            exposure.FollowUp = task;
        }

        return raised;
    }

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
    /// The ward of the person's latest declaration within the look-back, by exact look-ups of their person-days (the
    /// declarations themselves carry no index by person, to keep their ingest fast).
    /// </summary>
    private async Task<Home?> HomeAsync(byte[] person, int days, DateTimeOffset now, Dictionary<string, Home?> wards, CancellationToken cancellationToken)
    {
        var today = CityTime.DayOf(now);
        var recent = Enumerable.Range(0, days + 1).Select(today.AddDays(-days).AddDays).ToList();
        var ward = await db.Set<DeclarationPersonDay>().AsNoTracking()
            .Where(d => d.Definition == ReportingDay.Calendar && recent.Contains(d.Day) && d.PersonHash == person)
            .OrderByDescending(d => d.Day).Select(d => d.WardCode).FirstOrDefaultAsync(cancellationToken);
        if (ward is null)
        {
            return null;
        }

        if (!wards.TryGetValue(ward, out var home))
        {
            var info = await WardInfo.ByKeyAsync(db.Units.IgnoreQueryFilters(), db, ward, cancellationToken);
            wards[ward] = home = info is null ? null : new Home(info.Code, info.DistrictCode, info.UnitPath);
        }

        return home;
    }
}
