using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Declarations;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Venues;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Tracing;

/// <summary>An F1 list ready to be written as a file: its name (without extension), headings in the reader's language, and rows.</summary>
public sealed record ContactList(string FileName, IReadOnlyList<string> Headers, IReadOnlyList<object?[]> Rows);

/// <summary>
/// A case's F1 (and F2) list with the contacts' phones and names, for the health officers who call them: only the
/// people found at venues in the officer's units or whose follow-up task is there (where they live), for a reason
/// that goes into the audit trail with how many identities were opened. Never the case's identity.
/// </summary>
public sealed class ContactExport(CitizenDb db, UnitScope scope, PersonalData personal, Auditor audit, IStringLocalizer<SharedResource> text)
{
    private static readonly string[] Columns = ["Generation", "Phone", "Name", "Venue", "VenueWard", "From", "To", "Minutes", "Score", "Risk", "QuarantineUntil", "Task", "TaskWard"];

    public async Task<Outcome<ContactList>> ListAsync(StaffActor actor, long caseId, string? reason, CancellationToken cancellationToken)
    {
        if (!actor.HasAnyRole(CaseDesk.Tracers))
        {
            return new Outcome<ContactList>.Forbidden("Only health officers export contact lists.");
        }

        if (AccessReason.Problem(reason) is { } problem)
        {
            return Outcome.Invalid<ContactList>("reason", problem);
        }

        var path = CaseDesk.ContactsPath(actor);
        var rows = await db.Set<Exposure>().IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.CaseId == caseId && (e.UnitPath.StartsWith(path) || (e.FollowUp != null && e.FollowUp.UnitPath.StartsWith(path))))
            .Join(db.Set<CheckIn>().IgnoreQueryFilters(), e => e.ContactCheckInId, c => c.Id, (e, c) => new { e, c.Phone, c.Name })
            .Join(db.Venues.IgnoreQueryFilters(), x => x.e.VenueId, v => v.Id, (x, v) => new
            {
                x.e,
                x.Phone,
                x.Name,
                Venue = v.Name,
                Task = x.e.FollowUp == null ? null : (long?)x.e.FollowUp.Id,
                TaskWard = x.e.FollowUp == null ? null : x.e.FollowUp.WardCode,
                Until = x.e.FollowUp == null ? null : x.e.FollowUp.QuarantineUntil,
            })
            .ToListAsync(cancellationToken);
        scope.RestrictTo(actor);
        if (rows.Count == 0 && !await db.Set<TracingCase>().AnyAsync(c => c.Id == caseId, cancellationToken))
        {
            return new Outcome<ContactList>.NotFound($"No case {caseId} with contacts in your units.");
        }

        var wards = await Jurisdictions.UnitNames.LookUpAsync(db, rows.Select(r => r.e.WardCode).Concat(rows.Select(r => r.TaskWard)), cancellationToken);
        var (high, low) = (text["ContactsHighRisk"].Value, text["ContactsLowRisk"].Value);
        var cells = rows.OrderBy(r => r.e.Generation).ThenByDescending(r => r.e.HighRisk).ThenByDescending(r => r.e.Score).ThenBy(r => r.e.From)
            .Select(r => new object?[]
            {
                "F" + r.e.Generation, personal.Decrypt(r.Phone), personal.Open(r.Name), r.Venue, wards.For(r.e.WardCode),
                CityTime.ToLocal(r.e.From).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), CityTime.ToLocal(r.e.To).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                r.e.OverlapMinutes, r.e.Score, r.e.HighRisk ? high : low, r.Until?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Task, r.TaskWard is null ? null : wards.For(r.TaskWard),
            }).ToList();
        audit.Record(actor, "case.contacts.export", "case", caseId.ToString(CultureInfo.InvariantCulture), null, new { reason = reason!.Trim(), contacts = cells.Count });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(new ContactList(string.Create(CultureInfo.InvariantCulture, $"f1-ca-{caseId}"), [.. Columns.Select(c => text["ContactsColumn_" + c].Value)], cells));
    }
}
