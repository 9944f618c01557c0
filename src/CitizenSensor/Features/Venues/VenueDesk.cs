using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Venues.Compliance;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Venues;

/// <summary>A venue just registered and the owner's manage key, shown this once (only its hash is kept).</summary>
public sealed record NewVenue(Venue Venue, string ManageKey);

/// <summary>
/// The venue write rules, behind the venues API and the registration form alike. Unit officers and Admins register,
/// edit, close and reopen the venues of their units; owners edit and close theirs with the key they got at
/// registration. Each change is checked before it touches the venue and saved with its audit entry, or nothing.
/// </summary>
public sealed class VenueDesk(
    CitizenDb db, UnitScope scope, JurisdictionCatalog catalog, Auditor audit, BusinessMatcher businesses, VenueDirectory directory,
    TimeProvider time, PersonalData personal, IStringLocalizer<SharedResource> text)
{
    /// <summary>The venue's owner, acting with the manage key: audited as such (no staff account).</summary>
    public static readonly StaffActor Owner = StaffActor.Anonymous with { Name = "venue owner (manage key)" };

    private static readonly string[] Managers = [StaffRoles.Admin, StaffRoles.UnitOfficer];

    /// <summary>Who may manage the venues of their units: Admin and UnitOfficer.</summary>
    public static bool MayManage(StaffActor actor) => actor.HasAnyRole(Managers);

    /// <summary>
    /// Registers a venue. A manager registers in their own units (recorded as its creator); anybody else registers as
    /// the owner (the caller applies the public rate limit first).
    /// </summary>
    public async Task<Outcome<NewVenue>> RegisterAsync(StaffActor actor, VenueRequest request, CancellationToken cancellationToken)
    {
        var officer = MayManage(actor);
        if (officer)
        {
            scope.RestrictTo(actor); // the ward must be in the officer's units
        }

        var (venue, errors) = await VenueRules.ApplyAsync(request, null, db, catalog, personal, cancellationToken);
        if (venue is null)
        {
            return Outcome.Invalid<NewVenue>(errors);
        }

        var key = Venue.NewManageKey();
        var now = time.GetUtcNow();
        venue.ManageKeyHash = Venue.HashKey(key);
        venue.CreatedAt = now;
        venue.CreatedDay = CityTime.DayOf(now);
        venue.CreatedBy = officer ? actor.Name : "owner";
        db.Venues.Add(venue);
        audit.Record(actor, "register", "venue", venue.Code, null, Audited(venue));
        await businesses.MatchAsync(venue, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(new NewVenue(venue, key));
    }

    /// <summary>Changes the fields given of a venue of the actor's units.</summary>
    public async Task<Outcome<StaffVenue>> EditAsync(StaffActor actor, string code, VenueRequest request, CancellationToken cancellationToken)
    {
        var (venue, refused) = await FindForAsync(actor, code, cancellationToken);
        return refused ?? await ApplyEditAsync(actor, venue!, request, cancellationToken);
    }

    /// <summary>Closes a venue of the actor's units: no more check-ins.</summary>
    public async Task<Outcome<StaffVenue>> CloseAsync(StaffActor actor, string code, CancellationToken cancellationToken)
    {
        var (venue, refused) = await FindForAsync(actor, code, cancellationToken);
        return refused ?? await SetOpenAsync(actor, venue!, open: false, cancellationToken);
    }

    /// <summary>Reopens a closed venue of the actor's units.</summary>
    public async Task<Outcome<StaffVenue>> ReopenAsync(StaffActor actor, string code, CancellationToken cancellationToken)
    {
        var (venue, refused) = await FindForAsync(actor, code, cancellationToken);
        return refused ?? await SetOpenAsync(actor, venue!, open: true, cancellationToken);
    }

    /// <summary>The owner's edit, with the manage key (refused for a missing or wrong key).</summary>
    public async Task<Outcome<StaffVenue>> OwnerEditAsync(string code, string? key, VenueRequest request, CancellationToken cancellationToken)
    {
        var (venue, refused) = await FindWithKeyAsync(code, key, cancellationToken);
        return refused ?? await ApplyEditAsync(Owner, venue!, request, cancellationToken);
    }

    /// <summary>The owner closes their venue, with the manage key.</summary>
    public async Task<Outcome<StaffVenue>> OwnerCloseAsync(string code, string? key, CancellationToken cancellationToken)
    {
        var (venue, refused) = await FindWithKeyAsync(code, key, cancellationToken);
        return refused ?? await SetOpenAsync(Owner, venue!, open: false, cancellationToken);
    }

    /// <summary>
    /// The venue named, if the actor may manage venues (else Forbidden) and it lies in the actor's units (else
    /// NotFound): the unit scope is narrowed to the actor here, and the venue's unit path checked against theirs.
    /// </summary>
    private async Task<(Venue? Venue, Outcome<StaffVenue>? Refused)> FindForAsync(StaffActor actor, string code, CancellationToken cancellationToken)
    {
        if (!MayManage(actor))
        {
            return (null, new Outcome<StaffVenue>.Forbidden(text["Outcome_RoleMayNot"]));
        }

        scope.RestrictTo(actor);
        var venue = await VenuesApi.FindAsync(db, code, cancellationToken);
        var inUnits = venue is not null && (actor.IsAdmin || (actor.UnitPath is { } path && venue.UnitPath.StartsWith(path, StringComparison.Ordinal)));
        return inUnits ? (venue, null) : (null, NotFound(code));
    }

    /// <summary>The venue named, if the key is its manage key: the key, not a unit, is the owner's right.</summary>
    private async Task<(Venue? Venue, Outcome<StaffVenue>? Refused)> FindWithKeyAsync(string code, string? key, CancellationToken cancellationToken)
    {
        var normalized = Venue.NormalizeCode(code);
        var venue = normalized is null ? null : await db.Venues.IgnoreQueryFilters().SingleOrDefaultAsync(v => v.Code == normalized, cancellationToken);
        if (venue is null)
        {
            return (null, NotFound(code));
        }

        return venue.KeyMatches(key)
            ? (venue, null)
            : (null, new Outcome<StaffVenue>.Forbidden($"Send the key you got when you registered the venue in the {VenuesApi.KeyHeader} header."));
    }

    private async Task<Outcome<StaffVenue>> ApplyEditAsync(StaffActor actor, Venue venue, VenueRequest request, CancellationToken cancellationToken)
    {
        var before = Audited(venue);
        var (edited, errors) = await VenueRules.ApplyAsync(request, venue, db, catalog, personal, cancellationToken);
        if (edited is null)
        {
            return Outcome.Invalid<StaffVenue>(errors);
        }

        venue.Version++;
        audit.Record(actor, "edit", "venue", venue.Code, before, Audited(venue));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear(); // nothing of this request is saved, the audit entry included
            return new Outcome<StaffVenue>.Conflict("Somebody changed this venue at the same time; load it again and retry.");
        }

        directory.Forget(venue.Code);
        return Outcome.Done(VenuesApi.View(venue, personal));
    }

    private async Task<Outcome<StaffVenue>> SetOpenAsync(StaffActor actor, Venue venue, bool open, CancellationToken cancellationToken)
    {
        if (venue.IsOpen != open)
        {
            venue.ClosedAt = open ? null : time.GetUtcNow();
            venue.Version++;
            audit.Record(actor, open ? "reopen" : "close", "venue", venue.Code, null, null);
            await db.SaveChangesAsync(cancellationToken);
            directory.Forget(venue.Code);
        }

        return Outcome.Done(VenuesApi.View(venue, personal));
    }

    // The owner's contact is personal data: the audit trail keeps that it changed, not the values.
    private static object Audited(Venue v) => new { v.Name, v.Kind, v.Address, v.WardCode, v.Lat, v.Lng, owner = "(contact)" };

    private static Outcome<StaffVenue>.NotFound NotFound(string code) => new($"There is no venue '{PlainText.Shorten(code, 20)}'.");
}
