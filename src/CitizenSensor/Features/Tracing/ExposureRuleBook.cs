using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Venues;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Tracing;

/// <summary>A city's exposure rules in force: their version (0 for the shipped defaults, never saved) and values.</summary>
public sealed record RuleVersionView(string City, int Version, ExposureRules Rules, DateTimeOffset? SavedAt, string? SavedBy);

/// <summary>
/// Each city's exposure rules, versioned: reading the version in force and saving the next one (Admin only, audited).
/// A city that never saved any traces with <see cref="ExposureRules.Default"/> as version 0.
/// </summary>
public sealed class ExposureRuleBook(CitizenDb db, Auditor audit, TimeProvider time, VenueOptions venues)
{
    public async Task<RuleVersionView> CurrentAsync(string cityCode, CancellationToken cancellationToken)
    {
        var latest = await db.Set<ExposureRuleVersion>().AsNoTracking().Where(r => r.CityCode == cityCode)
            .OrderByDescending(r => r.Version).FirstOrDefaultAsync(cancellationToken);
        return latest is null
            ? new RuleVersionView(cityCode, 0, ExposureRules.Default, null, null)
            : new RuleVersionView(cityCode, latest.Version, latest.Values, latest.SavedAt, latest.SavedBy);
    }

    public async Task<Outcome<RuleVersionView>> SaveAsync(StaffActor actor, string? cityCode, ExposureRules? rules, CancellationToken cancellationToken)
    {
        if (!actor.IsAdmin)
        {
            return new Outcome<RuleVersionView>.Forbidden("Only an Admin edits the exposure rules.");
        }

        var city = cityCode?.Trim() ?? "";
        if (!await db.Units.IgnoreQueryFilters().AnyAsync(u => u.GsoCode == city && u.ParentCode == null, cancellationToken))
        {
            return Outcome.Invalid<RuleVersionView>("city", $"'city' is the code of a city served ('79', '01'), not '{PlainText.Shorten(city, 20)}'.");
        }

        if (rules is null)
        {
            return Outcome.Invalid<RuleVersionView>("rules", "Send the rules as JSON.");
        }

        var errors = rules.Problems(venues.RetentionDays);
        if (errors.Count > 0)
        {
            return Outcome.Invalid<RuleVersionView>(errors);
        }

        var current = await CurrentAsync(city, cancellationToken);
        var saved = ExposureRuleVersion.Of(city, current.Version + 1, rules, time.GetUtcNow(), actor.Name);
        db.Add(saved);
        audit.Record(actor, "exposure-rules.save", "exposure-rules", $"{city}/{saved.Version}", current.Rules, saved.Values);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return new Outcome<RuleVersionView>.Conflict($"Version {saved.Version} of {city}'s rules was saved by someone else just now; read the rules again.");
        }

        return Outcome.Done(new RuleVersionView(city, saved.Version, saved.Values, saved.SavedAt, saved.SavedBy));
    }
}
