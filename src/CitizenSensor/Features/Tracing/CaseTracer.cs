using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Venues;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Tracing;

/// <summary>
/// Traces a case (F0) to the people who were at its venues in overlapping windows (F1), under the version of the
/// city's exposure rules in force: the case's check-ins from the look-back day on (found by the phone's keyed hash),
/// every other check-in at those venues that could overlap, each pair judged by <see cref="ExposureJudge"/>, and each
/// person kept once with their strongest exposure. Tracing again adds only people not found before, or a stronger
/// exposure of someone already found.
/// </summary>
public sealed class CaseTracer(CitizenDb db, UnitScope scope, Auditor audit, TimeProvider time, ExposureRuleBook ruleBook, ContactTasks contactTasks, ContactNotices notices, ExposureSites sites)
{
    private sealed record Visit(long Id, long VenueId, byte[] PersonHash, DateTimeOffset At, DateTimeOffset? CheckOutAt);

    private sealed record Found(Visit Source, Visit Contact, ExposureJudgement Judgement);

    private sealed record Source(Visit Visit, Stay Stay, VenueWindow Window);

    /// <summary>Traces one case in the caller's units; with <paramref name="secondGeneration"/>, the F1s' later check-ins to F2 as well, at a lower priority.</summary>
    public async Task<Outcome<TraceResult>> TraceAsync(StaffActor actor, long caseId, bool secondGeneration, CancellationToken cancellationToken)
    {
        if (!actor.HasAnyRole(CaseDesk.Tracers))
        {
            return new Outcome<TraceResult>.Forbidden("Only health officers trace cases.");
        }

        scope.RestrictTo(actor);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TraceOnceAsync(actor, caseId, secondGeneration, cancellationToken);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // A declaration opened the same person's task (or another trace kept the same exposure) meanwhile: trace again on what is there now.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<Outcome<TraceResult>> TraceOnceAsync(StaffActor actor, long caseId, bool secondGeneration, CancellationToken cancellationToken)
    {
        var traced = await db.Set<TracingCase>().SingleOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (traced is null)
        {
            return new Outcome<TraceResult>.NotFound($"No case {caseId} in your units.");
        }

        var rules = await ruleBook.CurrentAsync(traced.CityCode, cancellationToken);
        var now = time.GetUtcNow();
        var firstDay = traced.FirstExposedDay(rules.Rules);
        var visits = await db.Set<CheckIn>().AsNoTracking()
            .Where(c => c.PhoneHash == traced.PersonHash && c.At >= CityTime.StartOfDay(firstDay) && c.At <= now)
            .OrderBy(c => c.At).Select(c => new Visit(c.Id, c.VenueId, c.PhoneHash, c.At, c.CheckOutAt)).ToListAsync(cancellationToken);
        var places = await PlacesAsync(visits, cancellationToken);

        var best = await ExposedByAsync(rules.Rules, [visits], places, cancellationToken);
        await sites.KeepAsync(traced, SiteVisits(rules.Rules, visits, best.Values), places, now, cancellationToken);
        var tally = new TracingTally();
        // Read untracked: a case's thousands of exposures cost the change tracker only when one of them changes.
        var known = (await db.Set<Exposure>().IgnoreQueryFilters().AsNoTracking().Where(e => e.CaseId == traced.Id).ToListAsync(cancellationToken))
            .ToDictionary(e => Convert.ToBase64String(e.PersonHash), StringComparer.Ordinal);
        var (added, strengthened, touched) = await KeepAsync(traced, 1, rules.Version, best.Values, known, places, now, tally, cancellationToken);
        var (second, secondAdded, secondTouched) = secondGeneration ? await SecondGenerationAsync(traced, rules, best, known, places, now, tally, cancellationToken) : (0, 0, []);
        var tasks = await contactTasks.RaiseAsync([.. touched, .. secondTouched], rules.Rules, places, now, cancellationToken);
        var told = await notices.TellAsync([.. touched, .. secondTouched], rules.Rules, places, cancellationToken);
        traced.TracedAt = now;
        traced.RuleVersion = rules.Version;
        var result = new TraceResult(traced.Id, rules.Version, firstDay, visits.Count, best.Count, added, strengthened, best.Values.Count(f => f.Judgement.HighRisk), second, secondAdded, tasks, told);
        audit.Record(actor, "case.trace", "case", traced.Id.ToString(CultureInfo.InvariantCulture), null, result);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken); // the exposures, sites, tasks and notices (with the outbox's messages), the case's trace time and the audit entry together
        await tally.WriteAsync(db, cancellationToken); // with the day figures they add
        await transaction.CommitAsync(cancellationToken);
        return Outcome.Done(result);
    }

    /// <summary>
    /// Everyone exposed by people's visits (each list one person's, in time order), each once with their strongest
    /// exposure, by their hash: the other check-ins in every visit's window read together, 32 windows to a query.
    /// </summary>
    private async Task<Dictionary<string, Found>> ExposedByAsync(ExposureRules rules, IEnumerable<List<Visit>> timelines, Dictionary<long, TracedPlace> places, CancellationToken cancellationToken)
    {
        var sources = timelines.SelectMany(visits => visits.Select((v, i) => SourceOf(rules, v, i + 1 < visits.Count ? visits[i + 1].At : null))).ToList();
        var others = await OthersAsync(sources, cancellationToken);
        var nextScans = await NextScansAsync(rules, [.. others.Values.SelectMany(o => o).Where(o => o.CheckOutAt is null)], cancellationToken);
        var best = new Dictionary<string, Found>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            var kind = places[source.Visit.VenueId].Kind;
            foreach (var other in others.GetValueOrDefault(source.Visit.VenueId) ?? [])
            {
                if (!source.Window.Holds(other.At, other.CheckOutAt) || other.PersonHash.AsSpan().SequenceEqual(source.Visit.PersonHash))
                {
                    continue;
                }

                var next = other.CheckOutAt is null ? nextScans.GetValueOrDefault(other.Id) : null;
                if (ExposureJudge.Judge(rules, source.Stay, new Stay(other.At, other.CheckOutAt, next), kind) is not { } judgement)
                {
                    continue;
                }

                var person = Convert.ToBase64String(other.PersonHash);
                if (!best.TryGetValue(person, out var kept) || Stronger(judgement, kept.Judgement))
                {
                    best[person] = new Found(source.Visit, other, judgement);
                }
            }
        }

        return best;
    }

    /// <summary>A visit as the source of exposures: its stay, and the window in which another check-in there could overlap it.</summary>
    private static Source SourceOf(ExposureRules rules, Visit visit, DateTimeOffset? next)
    {
        var stay = new Stay(visit.At, visit.CheckOutAt, next);
        var margin = TimeSpan.FromMinutes(Math.Max(rules.WindowMinutes, rules.AerosolTailMaxMinutes));
        // No stay counts longer than MaxMinutes, nor any window wider than the margin; one without check-out ends by the default stay.
        var since = visit.At - TimeSpan.FromMinutes(Math.Max(rules.DefaultStayMinutes, rules.WindowMinutes));
        return new Source(visit, stay, new VenueWindow(visit.VenueId, visit.At - TimeSpan.FromMinutes(ExposureRules.MaxMinutes), since, stay.End(rules.DefaultStayMinutes) + margin));
    }

    /// <summary>The check-ins in the sources' windows, by venue, in time order; each once where windows overlap.</summary>
    private async Task<Dictionary<long, List<Visit>>> OthersAsync(List<Source> sources, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<long, Visit>();
        foreach (var chunk in VenueWindows.Merged(sources.Select(s => s.Window)).Chunk(VenueWindows.Size))
        {
            var found = await db.Set<CheckIn>().AsNoTracking().Where(VenueWindows.AnyOf(chunk))
                .Select(c => new Visit(c.Id, c.VenueId, c.PhoneHash, c.At, c.CheckOutAt)).ToListAsync(cancellationToken);
            foreach (var visit in found)
            {
                rows.TryAdd(visit.Id, visit);
            }
        }

        return rows.Values.OrderBy(v => v.At).ThenBy(v => v.Id).GroupBy(v => v.VenueId).ToDictionary(g => g.Key, g => g.ToList());
    }

    /// <summary>The case's stays as places of exposure: each risky window, and the people whose strongest exposure it was.</summary>
    private static List<SiteVisit> SiteVisits(ExposureRules rules, List<Visit> visits, IEnumerable<Found> found)
    {
        var people = found.GroupBy(f => f.Source.Id).ToDictionary(g => g.Key, g => g.Count());
        return [.. visits.Select((v, i) =>
        {
            var (from, to) = ExposureJudge.RiskyWindow(rules, new Stay(v.At, v.CheckOutAt, i + 1 < visits.Count ? visits[i + 1].At : null));
            return new SiteVisit(v.Id, v.VenueId, from, to, people.GetValueOrDefault(v.Id));
        })];
    }

    /// <summary>
    /// F2: the people exposed by the F1s' check-ins after their exposure began, under the same rules. Someone already
    /// found as an F1 of this case (or the case) stays that; F2s are kept after F1s, at a lower priority.
    /// </summary>
    private async Task<(int People, int Added, List<Exposure> Touched)> SecondGenerationAsync(
        TracingCase traced, RuleVersionView rules, Dictionary<string, Found> first, Dictionary<string, Exposure> exposures, Dictionary<long, TracedPlace> places, DateTimeOffset now,
        TracingTally tally, CancellationToken cancellationToken)
    {
        var firsts = exposures.Values.Where(e => e.Generation == 1).Select(e => new { e.PersonHash, e.From }).ToList();
        var known = firsts.Select(f => Convert.ToBase64String(f.PersonHash)).Concat(first.Keys).Append(Convert.ToBase64String(traced.PersonHash)).ToHashSet(StringComparer.Ordinal);
        var f1s = firsts.Concat(first.Values.Select(f => new { f.Contact.PersonHash, f.Judgement.From })).DistinctBy(f => Convert.ToBase64String(f.PersonHash)).ToList();
        var scans = (await InChunks.ReadAsync(f1s, chunk =>
            {
                var (hashes, since) = (chunk.Select(f => f.PersonHash).ToList(), chunk.Min(f => f.From));
                return db.Set<CheckIn>().AsNoTracking().Where(c => hashes.Contains(c.PhoneHash) && c.At > since && c.At <= now)
                    .Select(c => new Visit(c.Id, c.VenueId, c.PhoneHash, c.At, c.CheckOutAt)).ToListAsync(cancellationToken);
            }))
            .ToLookup(v => Convert.ToBase64String(v.PersonHash));
        var later = f1s.Select(f => scans[Convert.ToBase64String(f.PersonHash)].Where(v => v.At > f.From).OrderBy(v => v.At).ToList()).ToList();

        foreach (var (id, place) in await PlacesAsync([.. later.SelectMany(l => l).Where(v => !places.ContainsKey(v.VenueId))], cancellationToken))
        {
            places[id] = place;
        }

        var best = (await ExposedByAsync(rules.Rules, later, places, cancellationToken)).Where(p => !known.Contains(p.Key)).ToDictionary(StringComparer.Ordinal);
        var (added, _, touched) = await KeepAsync(traced, 2, rules.Version, best.Values, exposures, places, now, tally, cancellationToken);
        return (best.Count, added, touched);
    }

    /// <summary>
    /// Each visit's person's next check-in anywhere before the default stay ends: where a stay without check-out ended
    /// (a later one changes nothing). One query per chunk of visits close in time (by their phones' hashes, and the minutes
    /// the unique index holds, so that the database skips those people's other check-ins without reading them).
    /// </summary>
    private async Task<Dictionary<long, DateTimeOffset?>> NextScansAsync(ExposureRules rules, List<Visit> visits, CancellationToken cancellationToken)
    {
        var horizon = TimeSpan.FromMinutes(rules.DefaultStayMinutes);
        var sorted = visits.OrderBy(v => v.At).ToList();
        var scans = (await InChunks.ReadAsync(sorted, chunk =>
            {
                var (from, to) = (chunk[0].At, chunk[^1].At + horizon);
                var (firstMinute, lastMinute) = (CheckIn.MinuteOf(from), CheckIn.MinuteOf(to));
                var hashes = chunk.Select(v => v.PersonHash).DistinctBy(Convert.ToBase64String).ToList();
                return db.Set<CheckIn>().AsNoTracking()
                    .Where(c => hashes.Contains(c.PhoneHash) && c.Minute >= firstMinute && c.Minute <= lastMinute && c.At > from && c.At <= to)
                    .Select(c => new { c.PhoneHash, c.At }).ToListAsync(cancellationToken);
            }))
            .ToLookup(c => Convert.ToBase64String(c.PhoneHash), c => c.At);
        var next = new Dictionary<long, DateTimeOffset?>();
        foreach (var visit in sorted)
        {
            var later = scans[Convert.ToBase64String(visit.PersonHash)].Where(at => at > visit.At && at <= visit.At + horizon).ToList();
            next[visit.Id] = later.Count == 0 ? null : later.Min();
        }

        return next;
    }

    /// <summary>
    /// Adds the people not found before, and strengthens those found again with a stronger exposure; returns those
    /// exposures too. A person is counted in the figures on the day and in the ward where they were first found; an F2
    /// found again as an F1 moves from one count to the other there.
    /// </summary>
    private async Task<(int Added, int Strengthened, List<Exposure> Touched)> KeepAsync(
        TracingCase traced, byte generation, int version, IEnumerable<Found> found, Dictionary<string, Exposure> known, Dictionary<long, TracedPlace> places, DateTimeOffset now,
        TracingTally tally, CancellationToken cancellationToken)
    {
        var (added, strengthened, touched) = (0, 0, new List<Exposure>());
        foreach (var f in found)
        {
            var person = Convert.ToBase64String(f.Contact.PersonHash);
            var venue = places[f.Contact.VenueId]; // a contact's venue is one of the visits' venues
            if (known.TryGetValue(person, out var exposure))
            {
                if (exposure.Generation < generation
                    || (exposure.Generation == generation && !Stronger(f.Judgement, new ExposureJudgement(exposure.From, exposure.To, exposure.OverlapMinutes, exposure.Score, exposure.HighRisk))))
                {
                    continue;
                }

                if (exposure.Generation > generation)
                {
                    var district = places.TryGetValue(exposure.VenueId, out var was) ? was.DistrictCode
                        : await db.Venues.IgnoreQueryFilters().Where(v => v.Id == exposure.VenueId).Select(v => v.DistrictCode).SingleOrDefaultAsync(cancellationToken) ?? "";
                    tally.Contact(exposure.FoundAt, exposure.Generation, exposure.WardCode, district, exposure.UnitPath, -1);
                    tally.Contact(exposure.FoundAt, generation, exposure.WardCode, district, exposure.UnitPath);
                }

                if (db.Entry(exposure).State == EntityState.Detached)
                {
                    db.Attach(exposure); // as read, so that what changes below is saved
                }

                strengthened++;
            }
            else
            {
                exposure = new Exposure { CaseId = traced.Id, PersonHash = f.Contact.PersonHash, WardCode = "", UnitPath = "", FoundAt = now }; // found once: the day's figures count it then
                known[person] = exposure;
                db.Add(exposure);
                tally.Contact(now, generation, venue.WardCode, venue.DistrictCode, venue.UnitPath);
                added++;
            }

            (exposure.VenueId, exposure.SourceCheckInId, exposure.ContactCheckInId) = (f.Contact.VenueId, f.Source.Id, f.Contact.Id);
            (exposure.From, exposure.To, exposure.OverlapMinutes, exposure.Score, exposure.HighRisk) = (f.Judgement.From, f.Judgement.To, f.Judgement.OverlapMinutes, f.Judgement.Score, f.Judgement.HighRisk);
            (exposure.Generation, exposure.RuleVersion, exposure.WardCode, exposure.UnitPath) = (generation, version, venue.WardCode, venue.UnitPath);
            touched.Add(exposure);
        }

        return (added, strengthened, touched);
    }

    private async Task<Dictionary<long, TracedPlace>> PlacesAsync(List<Visit> visits, CancellationToken cancellationToken)
    {
        var venues = await InChunks.ReadAsync(visits.Select(v => v.VenueId).Distinct(), ids => db.Venues.IgnoreQueryFilters().Where(v => ids.Contains(v.Id))
            .Select(v => new { v.Id, v.Name, v.Kind, v.WardCode, v.DistrictCode, v.UnitPath }).ToListAsync(cancellationToken));
        return venues.ToDictionary(v => v.Id, v => new TracedPlace(v.Name, v.Kind, v.WardCode, v.DistrictCode, v.UnitPath));
    }

    /// <summary>High risk beats low; then the higher score; then the longer overlap.</summary>
    private static bool Stronger(ExposureJudgement a, ExposureJudgement b) =>
        a.HighRisk != b.HighRisk ? a.HighRisk : a.Score != b.Score ? a.Score > b.Score : a.OverlapMinutes > b.OverlapMinutes;
}
