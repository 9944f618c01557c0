using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Channels.Phone;

/// <summary>
/// The phone line's rules, behind the calls API and the call console alike: agents (and the switchboard, with a
/// token) log every call; agents file reports for callers (channel <c>phone</c>), find what a caller reported before,
/// and call residents back with results. Caller phones are personal data: CallAgent and Admin only, within their
/// units, and every look-up is audited.
/// </summary>
public sealed class CallDesk(CitizenDb db, UnitScope scope, Auditor audit, ReportIntake intake, TimeProvider time, PersonalData personal, IStringLocalizer<SharedResource> text)
{
    private static readonly string[] Agents = [StaffRoles.Admin, StaffRoles.CallAgent];

    /// <summary>Who may work the phone line.</summary>
    public static bool MayUse(StaffActor actor) => actor.HasAnyRole(Agents);

    /// <summary>The calls of the last <paramref name="hours"/> (default 12) in the actor's units, newest first; audited.</summary>
    public async Task<Outcome<List<CallView>>> RecentAsync(StaffActor actor, int? hours, CancellationToken cancellationToken)
    {
        if (Refusal<List<CallView>>(actor) is { } refused)
        {
            return refused;
        }

        if (hours is < 1 or > 168)
        {
            return Outcome.Invalid<List<CallView>>("hours", "'hours' must be between 1 and 168.");
        }

        var since = time.GetUtcNow().AddHours(-(hours ?? 12));
        var calls = await db.Set<PhoneCall>().AsNoTracking().Where(c => c.StartedAt >= since)
            .OrderByDescending(c => c.StartedAt).ThenByDescending(c => c.Id).Take(200).ToListAsync(cancellationToken);
        var codes = await CodesAsync(db, calls, cancellationToken);
        if (calls.Count > 0)
        {
            audit.Record(actor, "view-calls", "caller", $"{calls.Count} calls", null, new { hours = hours ?? 12 });
            await db.SaveChangesAsync(cancellationToken);
        }

        return Outcome.Done(calls.Select(c => View(c, c.ReportId is { } id ? codes.GetValueOrDefault(id) : null)).ToList());
    }

    /// <summary>Logs a call; an answered call-back about a phone report with a result completes its call-back task.</summary>
    public async Task<Outcome<CallView>> LogAsync(StaffActor actor, CallRequest request, CancellationToken cancellationToken)
    {
        if (Refusal<CallView>(actor) is { } refused)
        {
            return refused;
        }

        var errors = new Dictionary<string, string[]>();
        var report = await FindReportAsync(db, request.ReportCode, errors, cancellationToken);
        var call = Validate(request, time.GetUtcNow(), errors);
        if (request.Outcome == "forwarded" && request.ReportCode is null)
        {
            errors["reportCode"] = ["A forwarded call names the report it created ('reportCode')."];
        }

        if (errors.Count > 0)
        {
            return Outcome.Invalid<CallView>(errors);
        }

        call!.ReportId = report?.Id;
        call.LoggedBy = actor.Name;
        call.UnitPath = PhoneCall.UnitFor(actor, report?.UnitPath);
        if (report is not null && call.Direction == "outbound" && call.AnsweredAt is not null && report.Channel == ReportChannels.Phone
            && report.Status is ReportStatus.Resolved or ReportStatus.Rejected)
        {
            report.CalledBackAt ??= call.EndedAt ?? call.AnsweredAt; // the resident has the result: the call-back is done
        }

        db.Add(call);
        audit.Record(actor, "call.log", "caller", Mask(personal.Open(call.SealedCallerPhone))!, null, new { call.Direction, call.Outcome, report = report?.Code });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(View(call, report?.Code));
    }

    /// <summary>Files a report for the caller (channel phone) and logs the call as forwarded to it; the call names the report's code.</summary>
    public async Task<Outcome<CallView>> FileReportAsync(StaffActor actor, PhoneReportRequest request, CancellationToken cancellationToken)
    {
        if (Refusal<CallView>(actor) is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var call = Validate(new CallRequest("inbound", request.Line, request.CallerPhone, request.StartedAt ?? now, request.StartedAt ?? now, now, "forwarded", null, null), now, errors);
        if (errors.Count > 0)
        {
            return Outcome.Invalid<CallView>(errors);
        }

        var submission = new ReportSubmission(request.Description, request.Lat, request.Lng, request.Address, request.Category,
            new ReporterContact(request.CallerName, request.CallerPhone, null), Anonymous: false);
        var result = await intake.SubmitAsync(submission, ReportChannels.Phone, idempotencyKey: null, cancellationToken);
        if (result.Outcome != IntakeOutcome.Created)
        {
            return Outcome.Invalid<CallView>(result.Errors.ToDictionary(
                e => e.Key == "reporter.phone" ? "callerPhone" : e.Key == "reporter.name" ? "callerName" : e.Key, e => e.Value));
        }

        call!.ReportId = result.Report!.Id;
        call.LoggedBy = actor.Name;
        call.UnitPath = PhoneCall.UnitFor(actor, result.Report.UnitPath);
        db.Add(call);
        audit.Record(actor, "call.log", "caller", Mask(personal.Open(call.SealedCallerPhone))!, null, new { call.Direction, call.Outcome, report = result.Report.Code });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(View(call, result.Report.Code));
    }

    /// <summary>A caller's earlier reports and calls in the actor's units, by phone or report code; audited with the phone masked.</summary>
    public async Task<Outcome<CallerHistory>> LookupAsync(StaffActor actor, string? phone, string? code, CancellationToken cancellationToken)
    {
        if (Refusal<CallerHistory>(actor) is { } refused)
        {
            return refused;
        }

        var normalized = PhoneNumbers.Normalize(phone);
        if (normalized is null && string.IsNullOrWhiteSpace(code))
        {
            return Outcome.Invalid<CallerHistory>("phone", "Give a Vietnamese phone number ('phone') or a report code ('code').");
        }

        var reportCode = string.IsNullOrWhiteSpace(code) ? null : Report.NormalizeCode(code);
        var hash = normalized is null ? null : Report.PhoneLookup(personal, normalized);
        var reports = await db.Reports.AsNoTracking()
            .Where(r => (hash != null && r.ReporterPhoneHash == hash) || (reportCode != null && r.Code == reportCode))
            .OrderByDescending(r => r.SubmittedAt).Take(50)
            .Select(r => new { r.Id, r.Code, r.Status, r.CategoryCode, r.SubmittedAt, r.PublicResult, r.Description, r.ReporterPhoneHash })
            .ToListAsync(cancellationToken);
        var phones = reports.Select(r => r.ReporterPhoneHash).Append(hash).OfType<byte[]>().DistinctBy(Convert.ToBase64String).ToList();
        var ids = reports.Select(r => r.Id).ToList();
        var calls = await db.Set<PhoneCall>().AsNoTracking()
            .Where(c => phones.Contains(c.CallerPhoneHash) || (c.ReportId != null && ids.Contains(c.ReportId.Value)))
            .OrderByDescending(c => c.StartedAt).Take(50).ToListAsync(cancellationToken);
        var codes = await CodesAsync(db, calls, cancellationToken);
        audit.Record(actor, "lookup", "caller", Mask(normalized) ?? reportCode!, null, new { reports = reports.Count, calls = calls.Count });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(new CallerHistory(
            [.. reports.Select(r => new CallerReport(r.Code, ReportViews.StatusCode(r.Status), r.CategoryCode, r.SubmittedAt, r.PublicResult, PlainText.Shorten(r.Description, 140)))],
            [.. calls.Select(c => View(c, c.ReportId is { } id ? codes.GetValueOrDefault(id) : null))]));
    }

    /// <summary>Phone reports in the actor's units with a result that nobody has called back yet; audited.</summary>
    public async Task<Outcome<List<CallbackTask>>> CallbacksAsync(StaffActor actor, CancellationToken cancellationToken)
    {
        if (Refusal<List<CallbackTask>>(actor) is { } refused)
        {
            return refused;
        }

        var due = await db.Reports.AsNoTracking()
            .Where(r => r.Channel == ReportChannels.Phone && r.CalledBackAt == null && r.SealedReporterPhone != null
                && (r.Status == ReportStatus.Resolved || r.Status == ReportStatus.Rejected))
            .OrderBy(r => r.ResolvedAt).Take(200)
            .Select(r => new { r.Id, r.Code, r.SealedReporterPhone, r.SealedReporterName, r.Status, r.PublicResult, r.ResolvedAt })
            .ToListAsync(cancellationToken);
        var ids = due.Select(r => r.Id).ToList();
        var attempts = await db.Set<PhoneCall>().Where(c => c.ReportId != null && ids.Contains(c.ReportId.Value) && c.Direction == "outbound")
            .GroupBy(c => c.ReportId).Select(g => new { ReportId = g.Key!.Value, Count = g.Count() }).ToDictionaryAsync(g => g.ReportId, g => g.Count, cancellationToken);
        if (due.Count > 0)
        {
            audit.Record(actor, "view-callbacks", "caller", $"{due.Count} callers", null, null);
            await db.SaveChangesAsync(cancellationToken);
        }

        return Outcome.Done(due.Select(r => new CallbackTask(r.Code, personal.Open(r.SealedReporterPhone)!, personal.Open(r.SealedReporterName), ReportViews.StatusCode(r.Status), r.PublicResult, r.ResolvedAt, attempts.GetValueOrDefault(r.Id))).ToList());
    }

    /// <summary>Refuses actors without the role; for the others, narrows the scope to their units.</summary>
    private Outcome<T>? Refusal<T>(StaffActor actor)
    {
        if (!MayUse(actor))
        {
            return new Outcome<T>.Forbidden(text["Outcome_AgentsOnly"]);
        }

        scope.RestrictTo(actor);
        return null;
    }

    /// <summary>Checks a call as logged; returns it (not yet saved) or adds errors naming the fields.</summary>
    private PhoneCall? Validate(CallRequest request, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (request.Direction is null || !PhoneCall.Directions.Contains(request.Direction))
        {
            errors["direction"] = ["'direction' must be 'inbound' or 'outbound'."];
        }

        if (request.Outcome is null || !PhoneCall.Outcomes.Contains(request.Outcome))
        {
            errors["outcome"] = [$"'outcome' must be one of: {string.Join(", ", PhoneCall.Outcomes)}."];
        }

        var phone = PhoneNumbers.Normalize(request.CallerPhone);
        if (phone is null)
        {
            errors["callerPhone"] = [PhoneNumbers.Problem("callerPhone")];
        }

        if (request.Line?.Trim().Length > 20)
        {
            errors["line"] = ["'line' must be at most 20 characters."];
        }

        PlainText.Check("line", request.Line, errors);
        if (request.Note?.Length > 1000)
        {
            errors["note"] = ["'note' must be at most 1000 characters."];
        }

        PlainText.Check("note", request.Note, errors);
        var started = request.StartedAt ?? now;
        if (started > now.AddMinutes(1))
        {
            errors["startedAt"] = ["'startedAt' is in the future."];
        }

        if (request.AnsweredAt is { } answered && (answered < started || answered > now.AddMinutes(1)))
        {
            errors["answeredAt"] = ["'answeredAt' must be between 'startedAt' and now."];
        }

        if (request.EndedAt is { } ended && (ended < (request.AnsweredAt ?? started) || ended > now.AddMinutes(1)))
        {
            errors["endedAt"] = ["'endedAt' must be after the call was started (and answered) and not in the future."];
        }

        if (request.Outcome == "missed" && request.AnsweredAt is not null)
        {
            errors["answeredAt"] = ["A missed call was not answered: leave 'answeredAt' out."];
        }

        return errors.Count > 0 ? null : new PhoneCall
        {
            Direction = request.Direction!,
            Line = string.IsNullOrWhiteSpace(request.Line) ? null : request.Line.Trim(),
            SealedCallerPhone = personal.Encrypt(phone!),
            CallerPhoneHash = Report.PhoneLookup(personal, phone!),
            StartedAt = started,
            AnsweredAt = request.AnsweredAt,
            EndedAt = request.EndedAt,
            Outcome = request.Outcome!,
            LoggedBy = "",
            Note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
        };
    }

    private static async Task<Report?> FindReportAsync(CitizenDb db, string? code, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var normalized = Report.NormalizeCode(code);
        var report = await db.Reports.SingleOrDefaultAsync(r => r.Code == normalized, cancellationToken);
        if (report is null)
        {
            errors["reportCode"] = [$"There is no report '{PlainText.Shorten(code, 20)}' in your units."];
        }

        return report;
    }

    private static async Task<Dictionary<Guid, string>> CodesAsync(CitizenDb db, List<PhoneCall> calls, CancellationToken cancellationToken)
    {
        var ids = calls.Where(c => c.ReportId is not null).Select(c => c.ReportId!.Value).Distinct().ToList();
        return await db.Reports.IgnoreQueryFilters().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Code, cancellationToken);
    }

    private static string? Mask(string? phone) => phone is null ? null : phone[..4] + new string('•', phone.Length - 7) + phone[^3..];

    private CallView View(PhoneCall c, string? reportCode) =>
        new(c.Id, c.Direction, c.Line, personal.Decrypt(c.SealedCallerPhone), c.StartedAt, c.AnsweredAt, c.EndedAt, c.Outcome, reportCode, c.LoggedBy, c.Note);
}
