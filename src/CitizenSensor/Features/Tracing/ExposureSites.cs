using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Tracing;

/// <summary>A case's stay at a venue as a trace saw it: the check-in, the risky window, and the people it exposed.</summary>
internal sealed record SiteVisit(long CheckInId, long VenueId, DateTimeOffset From, DateTimeOffset To, int People);

/// <summary>A place of exposure as staff see it: the venue, the window, the people exposed there, and whether its venue is a cluster.</summary>
public sealed record SiteView(long Id, long CaseId, string VenueCode, string VenueName, string VenueKind, UnitName Ward, DateTimeOffset From, DateTimeOffset To,
    int People, bool Cluster, DateTimeOffset? PublishedAt, string? Advice);

/// <summary>A handling unit's places of exposure in the window: the map's colour is <see cref="Cases"/>.</summary>
public sealed record DistrictHotspot(string Code, string Name, int Sites, int Venues, int Cases);

/// <summary>A venue where several cases were within the window.</summary>
public sealed record VenueCluster(string VenueCode, string VenueName, UnitName Ward, int Cases, DateTimeOffset First, DateTimeOffset Last);

/// <summary>A ward where several cases isolate whose test fell within the window.</summary>
public sealed record WardCluster(UnitName Ward, int Cases);

/// <summary>The hotspots of a unit: the window, the cluster rule, each handling unit's sites and cases, the sites, and the clusters flagged.</summary>
public sealed record HotspotsView(UnitName? Unit, DateOnly From, DateOnly To, int ClusterCases, int RuleVersion, IReadOnlyList<DistrictHotspot> ByDistrict,
    IReadOnlyList<SiteView> Sites, IReadOnlyList<VenueCluster> VenueClusters, IReadOnlyList<WardCluster> WardClusters);

/// <summary>A health officer's decision on a site: on the public list or off it, with the advice it shows (the standard advice when empty).</summary>
public sealed record PublishSiteRequest(bool Published, string? Advice);

/// <summary>A place of exposure on the public list: the venue, where it is, the window and the advice; never a person.</summary>
public sealed record PublicSite(string Venue, string Address, string Ward, DateTimeOffset From, DateTimeOffset To, string Advice, DateTimeOffset PublishedAt);

/// <summary>
/// Places of exposure (issue 16, point 5): each trace keeps the case's stays as sites; staff see them as hotspots by
/// unit with the clusters flagged under the city's rules; a health officer publishes a site, with advice, on the public
/// list, which merges a venue's overlapping windows so it never tells how many cases were there.
/// </summary>
public sealed class ExposureSites(CitizenDb db, UnitScope scope, Auditor audit, TimeProvider time, ExposureRuleBook ruleBook, IStringLocalizer<SharedResource> text)
{
    public const int MaxAdvice = 500;

    /// <summary>The public list shows sites whose window ended within this many days.</summary>
    public const int PublicDays = 14;

    public const int MaxSites = 500;

    /// <summary>Keeps a trace's sites: one per check-in of the case, added or brought up to date.</summary>
    internal async Task KeepAsync(TracingCase traced, IReadOnlyList<SiteVisit> visits, IReadOnlyDictionary<long, TracedPlace> places, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var known = await db.Set<ExposureSite>().IgnoreQueryFilters().Where(s => s.CaseId == traced.Id).ToDictionaryAsync(s => s.SourceCheckInId, cancellationToken);
        foreach (var visit in visits)
        {
            var place = places[visit.VenueId];
            if (!known.TryGetValue(visit.CheckInId, out var site))
            {
                site = new ExposureSite { CaseId = traced.Id, SourceCheckInId = visit.CheckInId, WardCode = "", DistrictCode = "", UnitPath = "", FoundAt = now };
                db.Add(site);
            }

            (site.VenueId, site.From, site.To, site.Day, site.People) = (visit.VenueId, visit.From, visit.To, CityTime.DayOf(visit.From), visit.People);
            (site.WardCode, site.DistrictCode, site.UnitPath) = (place.WardCode, place.DistrictCode, place.UnitPath);
        }
    }

    /// <summary>The hotspots of one of the caller's units (their own when none is named) over the city's cluster window, up to today.</summary>
    public async Task<Outcome<HotspotsView>> HotspotsAsync(StaffActor actor, string? unit, CancellationToken cancellationToken)
    {
        if (!actor.HasAnyRole(CaseDesk.Tracers))
        {
            return new Outcome<HotspotsView>.Forbidden("Only health officers see places of exposure.");
        }

        scope.RestrictTo(actor);
        var (area, problem) = await FigureArea.ResolveForAsync(db, actor, unit, cancellationToken);
        if (area is null)
        {
            return new Outcome<HotspotsView>.NotFound(problem!);
        }

        var city = area.Path == "/" ? null : await db.Units.IgnoreQueryFilters().Where(u => u.Code == HandlingUnit.TopKey(area.Path)).Select(u => u.GsoCode).SingleOrDefaultAsync(cancellationToken);
        var rules = city is null ? new RuleVersionView("", 0, ExposureRules.Default, null, null) : await ruleBook.CurrentAsync(city, cancellationToken);
        var to = CityTime.DayOf(time.GetUtcNow());
        var from = to.AddDays(1 - rules.Rules.ClusterDays);
        var sites = await db.Set<ExposureSite>().AsNoTracking().Where(s => s.Day >= from && s.UnitPath.StartsWith(area.Path))
            .Join(db.Venues.IgnoreQueryFilters(), s => s.VenueId, v => v.Id, (s, v) => new { Site = s, v.Code, v.Name, v.Kind })
            .OrderByDescending(s => s.Site.From).Take(20 * MaxSites).ToListAsync(cancellationToken);
        var byVenue = sites.GroupBy(s => s.Site.VenueId).ToDictionary(g => g.Key, g => g.Select(s => s.Site.CaseId).Distinct().Count());
        var wards = await UnitNames.LookUpAsync(db, sites.Select(s => s.Site.WardCode), cancellationToken);
        var views = sites.Take(MaxSites).Select(s => new SiteView(s.Site.Id, s.Site.CaseId, s.Code, s.Name, s.Kind, new UnitName(s.Site.WardCode, wards.For(s.Site.WardCode)),
            s.Site.From, s.Site.To, s.Site.People, byVenue[s.Site.VenueId] >= rules.Rules.ClusterCases, s.Site.PublishedAt, s.Site.Advice)).ToList();
        var venueClusters = sites.GroupBy(s => s.Site.VenueId).Where(g => byVenue[g.Key] >= rules.Rules.ClusterCases)
            .Select(g => new VenueCluster(g.First().Code, g.First().Name, new UnitName(g.First().Site.WardCode, wards.For(g.First().Site.WardCode)), byVenue[g.Key],
                g.Min(s => s.Site.From), g.Max(s => s.Site.To)))
            .OrderByDescending(c => c.Cases).ThenBy(c => c.VenueName, StringComparer.Ordinal).ToList();
        var cases = await db.Set<TracingCase>().AsNoTracking().Where(c => c.TestDate >= from && c.UnitPath.StartsWith(area.Path))
            .GroupBy(c => c.WardCode).Select(g => new { Ward = g.Key, Cases = g.Count() }).ToListAsync(cancellationToken);
        var caseWards = await UnitNames.LookUpAsync(db, cases.Select(c => c.Ward), cancellationToken);
        var wardClusters = cases.Where(c => c.Cases >= rules.Rules.ClusterCases).OrderByDescending(c => c.Cases)
            .Select(c => new WardCluster(new UnitName(c.Ward, caseWards.For(c.Ward)), c.Cases)).ToList();
        var inArea = area.Districts.ToHashSet(StringComparer.Ordinal);
        var byDistrict = sites.Where(s => inArea.Contains(s.Site.DistrictCode)).GroupBy(s => s.Site.DistrictCode)
            .Select(g => new DistrictHotspot(g.Key, area.DistrictName(g.Key), g.Count(), g.Select(r => r.Site.VenueId).Distinct().Count(), g.Select(r => r.Site.CaseId).Distinct().Count()))
            .OrderByDescending(d => d.Cases).ThenBy(d => d.Name, StringComparer.Ordinal).ToList();
        return Outcome.Done(new HotspotsView(area.Unit, from, to, rules.Rules.ClusterCases, rules.Version, byDistrict, views, venueClusters, wardClusters));
    }

    /// <summary>Puts a site on the public list, with advice, or takes it off; audited.</summary>
    public async Task<Outcome<SiteView>> PublishAsync(StaffActor actor, long id, PublishSiteRequest? request, CancellationToken cancellationToken)
    {
        if (!actor.HasAnyRole(CaseDesk.Tracers))
        {
            return new Outcome<SiteView>.Forbidden("Only health officers publish places of exposure.");
        }

        if (request is null)
        {
            return Outcome.Invalid<SiteView>("published", "Send {\"published\": true|false, \"advice\": \"…\"}.");
        }

        var advice = string.IsNullOrWhiteSpace(request.Advice) ? null : request.Advice.Trim();
        var errors = new Dictionary<string, string[]>();
        if (advice is { Length: > MaxAdvice })
        {
            errors["advice"] = [$"'advice' is at most {MaxAdvice} characters."];
        }
        else if (advice is not null)
        {
            PlainText.Check("advice", advice, errors);
        }

        if (errors.Count > 0)
        {
            return Outcome.Invalid<SiteView>(errors);
        }

        scope.RestrictTo(actor);
        var site = await db.Set<ExposureSite>().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (site is null)
        {
            return new Outcome<SiteView>.NotFound($"No place of exposure {id} in your units.");
        }

        var before = new { published = site.PublishedAt is not null, advice = site.Advice };
        (site.PublishedAt, site.PublishedBy, site.Advice) = request.Published ? (site.PublishedAt ?? time.GetUtcNow(), actor.Name, advice) : ((DateTimeOffset?)null, (string?)null, advice);
        audit.Record(actor, request.Published ? "exposure-site.publish" : "exposure-site.unpublish", "exposure-site", id.ToString(CultureInfo.InvariantCulture), before,
            new { published = request.Published, advice });
        await db.SaveChangesAsync(cancellationToken);
        var venue = await db.Venues.IgnoreQueryFilters().AsNoTracking().SingleAsync(v => v.Id == site.VenueId, cancellationToken);
        var ward = await UnitNames.LookUpAsync(db, [site.WardCode], cancellationToken);
        return Outcome.Done(new SiteView(site.Id, site.CaseId, venue.Code, venue.Name, venue.Kind, new UnitName(site.WardCode, ward.For(site.WardCode)), site.From, site.To,
            site.People, false, site.PublishedAt, site.Advice));
    }

    /// <summary>
    /// The public list: published sites whose window ended within <see cref="PublicDays"/>, newest first, a venue's
    /// overlapping windows merged into one; the standard advice in the caller's language where the officer gave none.
    /// </summary>
    public async Task<IReadOnlyList<PublicSite>> PublicAsync(CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow().AddDays(-PublicDays);
        var rows = await db.Set<ExposureSite>().IgnoreQueryFilters().AsNoTracking().Where(s => s.PublishedAt != null && s.To >= since)
            .Join(db.Venues.IgnoreQueryFilters(), s => s.VenueId, v => v.Id, (s, v) => new { s.VenueId, v.Name, v.Address, s.WardCode, s.From, s.To, s.Advice, s.PublishedAt })
            .OrderBy(s => s.VenueId).ThenBy(s => s.From).Take(20 * MaxSites).ToListAsync(cancellationToken);
        var wards = await UnitNames.LookUpAsync(db, rows.Select(r => r.WardCode), cancellationToken);
        var standard = text["ExposureSiteAdvice"].Value;
        var merged = new List<PublicSite>();
        foreach (var venue in rows.GroupBy(r => r.VenueId))
        {
            PublicSite? open = null;
            foreach (var r in venue)
            {
                if (open is not null && r.From <= open.To)
                {
                    open = open with { To = r.To > open.To ? r.To : open.To, Advice = r.Advice ?? open.Advice, PublishedAt = r.PublishedAt > open.PublishedAt ? r.PublishedAt.Value : open.PublishedAt };
                    continue;
                }

                if (open is not null)
                {
                    merged.Add(open);
                }

                open = new PublicSite(r.Name, r.Address, wards.For(r.WardCode), r.From, r.To, r.Advice ?? standard, r.PublishedAt!.Value);
            }

            merged.Add(open!);
        }

        return [.. merged.OrderByDescending(s => s.From).Take(MaxSites)];
    }
}
