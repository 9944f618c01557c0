using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// The one way staff change a report, whatever the door (staff API, staff pages, bulk actions): checks the actor's
/// role for the action (<see cref="ReportActions"/>) and loads the report inside the actor's units (not found
/// outside), checks the version the actor saw, validates everything before touching the report, then applies the
/// change, the public event and the audit entry in one save. A refused request changes nothing.
/// </summary>
public sealed class ReportHandling(CitizenDb db, UnitScope scope, Auditor audit, TimeProvider time, ReportSignal signal, IStringLocalizer<SharedResource> text)
{
    private readonly List<string> _alsoChanged = [];

    /// <summary>What a check decides: refuse (conflict or invalid), or apply the returned change.</summary>
    private readonly record struct Decision(Outcome<Report>? Refusal, Func<Task>? Apply)
    {
        public static Decision To(Action apply) => new(null, () => { apply(); return Task.CompletedTask; });

        public static Decision To(Func<Task> apply) => new(null, apply);

        public static implicit operator Decision(Outcome<Report> refusal) => new(refusal, null);
    }

    public Task<Outcome<Report>> AcceptAsync(StaffActor actor, string code, int? version, CancellationToken cancellationToken) =>
        RunAsync(actor, code, version, ReportActions.Accept, report => report.Status != ReportStatus.Routed
            ? Refuse("Handling_OnlyRouted", report)
            : Decision.To(() => SetStatus(report, ReportStatus.InProgress, null)), cancellationToken);

    public Task<Outcome<Report>> AssignWardAsync(StaffActor actor, string code, string? wardCode, int? version, CancellationToken cancellationToken) =>
        RunAsync(actor, code, version, ReportActions.AssignWard, async report =>
        {
            if (report.Status is not (ReportStatus.Routed or ReportStatus.InProgress))
            {
                return Refuse("Handling_WardNeedsRouted", report);
            }

            if (string.IsNullOrWhiteSpace(wardCode) || !await db.Units.AnyAsync(u => u.Code == wardCode && u.ParentCode == report.UnitCode, cancellationToken))
            {
                return Invalid("wardCode", text["Handling_NotAWard", wardCode ?? "", report.UnitCode ?? ""]);
            }

            return Decision.To(() => report.WardCode = wardCode);
        }, cancellationToken);

    public Task<Outcome<Report>> AddNoteAsync(StaffActor actor, string code, string? note, CancellationToken cancellationToken) =>
        RunAsync(actor, code, null, ReportActions.AddNote, report =>
        {
            var errors = new Dictionary<string, string[]>();
            CheckText("text", note, required: true, errors);
            return errors.Count > 0
                ? new Outcome<Report>.Invalid(errors)
                : Decision.To(() => report.Notes.Add(new ReportNote { ReportId = report.Id, At = time.GetUtcNow(), Author = actor.Name, Text = note!.Trim() }));
        }, cancellationToken);

    public Task<Outcome<Report>> ResolveAsync(StaffActor actor, string code, string? result, long? fineVnd, bool suspendBusiness, int? version, CancellationToken cancellationToken) =>
        RunAsync(actor, code, version, ReportActions.Resolve, report =>
        {
            if (report.Status is not (ReportStatus.Routed or ReportStatus.InProgress))
            {
                return Refuse("Handling_OnlyOpenResolved", report);
            }

            var errors = new Dictionary<string, string[]>();
            CheckText("result", result, required: true, errors, minLength: ReportRules.MinResult);
            if (fineVnd is < 0 or > ReportRules.MaxFineVnd)
            {
                errors["fineVnd"] = [text["Handling_FineRange", ReportRules.MaxFineVnd.ToString("N0", System.Globalization.CultureInfo.CurrentCulture)]];
            }

            return errors.Count > 0 ? new Outcome<Report>.Invalid(errors) : Decision.To(async () =>
            {
                report.PublicResult = result!.Trim();
                report.FineVnd = fineVnd is 0 ? null : fineVnd;
                report.BusinessSuspended = suspendBusiness;
                report.ResolvedAt = time.GetUtcNow();
                SetStatus(report, ReportStatus.Resolved, null);
                await ResolveMergedAsync(report, actor);
            });
        }, cancellationToken);

    /// <summary>Rejects as invalid, or sends back to the city's triage desk (not-ours). Duplicates go through <see cref="MergeAsync"/>.</summary>
    public Task<Outcome<Report>> RejectAsync(StaffActor actor, string code, string? reason, string? note, int? version, CancellationToken cancellationToken) =>
        RunAsync(actor, code, version, ReportActions.Reject, report =>
        {
            if (report.Status is ReportStatus.Resolved or ReportStatus.Rejected or ReportStatus.Received)
            {
                return Refuse("Handling_CannotReject", report);
            }

            var errors = new Dictionary<string, string[]>();
            CheckText("note", note, required: false, errors, maxLength: ReportRules.MaxRejectionNote);
            if (reason is not ("invalid" or "not-ours"))
            {
                errors["reason"] = [text["Handling_RejectReason"]];
            }

            if (errors.Count > 0)
            {
                return new Outcome<Report>.Invalid(errors);
            }

            if (reason == "not-ours" && report.Status == ReportStatus.NeedsTriage)
            {
                return new Outcome<Report>.Conflict(text["Handling_AlreadyAtDesk"]);
            }

            return reason == "invalid"
                ? Decision.To(() =>
                {
                    report.RejectionReason = reason;
                    SetStatus(report, ReportStatus.Rejected, Trimmed(note));
                })
                : Decision.To(async () =>
                {
                    var unitName = await UnitNameAsync(report.UnitCode, cancellationToken);
                    report.RejectionReason = reason;
                    SendToDesk(report, TriageReasons.SentBack(unitName ?? report.UnitCode ?? "", Trimmed(note)));
                });
        }, cancellationToken);

    /// <summary>Merges a report into an original: rejected as its duplicate, and given the original's result when there is one.</summary>
    public Task<Outcome<Report>> MergeAsync(StaffActor actor, string code, string? originalCode, int? version, CancellationToken cancellationToken) =>
        RunAsync(actor, code, version, ReportActions.Merge, async report =>
        {
            if (report.Status is ReportStatus.Resolved or ReportStatus.Rejected or ReportStatus.Received)
            {
                return Refuse("Handling_CannotReject", report);
            }

            var normalized = originalCode is null ? "" : Report.NormalizeCode(originalCode);
            var original = normalized.Length == 0 || normalized == report.Code ? null
                : await db.Reports.AsNoTracking().Where(r => r.Code == normalized)
                    .Select(r => new { r.Code, r.Status, r.DuplicateOfCode, r.PublicResult, r.ResolvedAt })
                    .SingleOrDefaultAsync(cancellationToken);
            if (original is null || original.DuplicateOfCode is not null)
            {
                return Invalid("duplicateOf", text["Handling_NotAnOriginal"]);
            }

            return Decision.To(() =>
            {
                report.DuplicateOfCode = original.Code;
                report.RejectionReason = "duplicate";
                if (original.Status == ReportStatus.Resolved)
                {
                    report.PublicResult = original.PublicResult;
                    report.ResolvedAt = original.ResolvedAt;
                    SetStatus(report, ReportStatus.Resolved, original.Code);
                }
                else
                {
                    SetStatus(report, ReportStatus.Rejected, original.Code);
                }
            });
        }, cancellationToken);

    /// <summary>Routes to a unit below a city: the unit of its set's handling depth above it (or itself) handles it, a unit further down is its ward.</summary>
    public Task<Outcome<Report>> RouteAsync(StaffActor actor, string code, string? unitCode, string? category, int? version, CancellationToken cancellationToken) =>
        RunAsync(actor, code, version, ReportActions.Route, async report =>
        {
            if (report.Status is not (ReportStatus.NeedsTriage or ReportStatus.Routed or ReportStatus.InProgress))
            {
                return Refuse("Handling_CannotRoute", report);
            }

            var target = string.IsNullOrWhiteSpace(unitCode) ? null
                : await db.Units.AsNoTracking().Where(u => u.Code == unitCode.Trim() && u.ParentCode != null)
                    .Select(u => new { u.Code, u.UnitPath, u.Set!.HandlingDepth }).SingleOrDefaultAsync(cancellationToken);
            if (target is null)
            {
                return Invalid("unitCode", text["Handling_NotAUnit", unitCode ?? ""]);
            }

            var handlerKey = HandlingUnit.KeyAtDepth(target.UnitPath, target.HandlingDepth);
            var handler = await db.Units.AsNoTracking().Where(u => u.Code == handlerKey).Select(u => new { u.Code, u.Name, u.UnitPath }).SingleAsync(cancellationToken);
            var newCategory = string.IsNullOrWhiteSpace(category) ? report.CategoryCode : category.Trim();
            var minutes = await db.Categories.Where(c => c.Code == newCategory && c.Active).Select(c => (int?)c.ResolveWithinMinutes).SingleOrDefaultAsync(cancellationToken);
            if (newCategory != report.CategoryCode && minutes is null)
            {
                return Invalid("category", text["Handling_UnknownCategory", category ?? ""]);
            }

            return Decision.To(() =>
            {
                var now = time.GetUtcNow();
                CorrectCategory(report, newCategory, actor);
                report.UnitCode = handler.Code;
                report.UnitPath = handler.UnitPath;
                report.WardCode = target.Code == handler.Code ? null : target.Code;
                report.RoutedAt = now;
                report.DueAt = now.AddMinutes(minutes ?? ReportRules.DefaultResolveMinutes);
                report.TriageReason = null;
                report.EscalatedAt = null;
                report.EscalatedTo = null;
                SetStatus(report, ReportStatus.Routed, handler.Name);
            });
        }, cancellationToken);

    public Task<Outcome<Report>> SetCategoryAsync(StaffActor actor, string code, string? category, int? version, CancellationToken cancellationToken) =>
        RunAsync(actor, code, version, ReportActions.SetCategory, async report =>
        {
            var wanted = category?.Trim() ?? "";
            return await db.Categories.AnyAsync(c => c.Code == wanted && c.Active, cancellationToken)
                ? Decision.To(() => CorrectCategory(report, wanted, actor))
                : Invalid("category", text["Handling_UnknownCategory", category ?? ""]);
        }, cancellationToken);

    /// <summary>Closes an open report with an answer the desk gives itself (a question answered, nothing to forward).</summary>
    public Task<Outcome<Report>> CloseAsync(StaffActor actor, string code, string? answer, int? version, CancellationToken cancellationToken) =>
        RunAsync(actor, code, version, ReportActions.Close, report =>
        {
            if (report.Status is not (ReportStatus.NeedsTriage or ReportStatus.Routed or ReportStatus.InProgress))
            {
                return Refuse("Handling_CannotClose", report);
            }

            var errors = new Dictionary<string, string[]>();
            CheckText("result", answer, required: true, errors, minLength: ReportRules.MinResult);
            return errors.Count > 0 ? new Outcome<Report>.Invalid(errors) : Decision.To(async () =>
            {
                report.PublicResult = answer!.Trim();
                report.ResolvedAt = time.GetUtcNow();
                report.TriageReason = null;
                SetStatus(report, ReportStatus.Resolved, null);
                await ResolveMergedAsync(report, actor);
            });
        }, cancellationToken);

    /// <summary>Reopens a resolved or rejected report: it goes back to the city's triage desk with the reason.</summary>
    public Task<Outcome<Report>> ReopenAsync(StaffActor actor, string code, string? reason, int? version, CancellationToken cancellationToken) =>
        RunAsync(actor, code, version, ReportActions.Reopen, report =>
        {
            if (report.Status is not (ReportStatus.Resolved or ReportStatus.Rejected))
            {
                return Refuse("Handling_CannotReopen", report);
            }

            var errors = new Dictionary<string, string[]>();
            CheckText("note", reason, required: true, errors, maxLength: ReportRules.MaxRejectionNote);
            return errors.Count > 0 ? new Outcome<Report>.Invalid(errors) : Decision.To(() =>
            {
                report.PublicResult = null;
                report.ResolvedAt = null;
                report.RejectionReason = null;
                report.DuplicateOfCode = null;
                SendToDesk(report, TriageReasons.Reopened(reason!.Trim()));
            });
        }, cancellationToken);

    private Task<Outcome<Report>> RunAsync(StaffActor actor, string code, int? expectedVersion, string action, Func<Report, Decision> check, CancellationToken cancellationToken) =>
        RunAsync(actor, code, expectedVersion, action, report => Task.FromResult(check(report)), cancellationToken);

    /// <summary>Loads, checks, applies and saves one change; see the class summary.</summary>
    private async Task<Outcome<Report>> RunAsync(StaffActor actor, string code, int? expectedVersion, string action, Func<Report, Task<Decision>> check, CancellationToken cancellationToken)
    {
        if (!ReportActions.Permits(actor, action))
        {
            return new Outcome<Report>.Forbidden(text["Handling_Forbidden"]);
        }

        scope.RestrictTo(actor);
        var normalized = Report.NormalizeCode(code);
        var report = await db.Reports.Include(r => r.Events).Include(r => r.Notes).Include(r => r.Attachments)
            .SingleOrDefaultAsync(r => r.Code == normalized, cancellationToken);
        if (report is null)
        {
            return new Outcome<Report>.NotFound($"There is no report '{PlainText.Shorten(code, 20)}' in your units.");
        }

        if (expectedVersion is not null && expectedVersion != report.Version)
        {
            return Discard(new Outcome<Report>.Conflict(text["Handling_Stale", expectedVersion, report.Version]));
        }

        var decision = await check(report);
        if (decision.Refusal is { } refusal)
        {
            return Discard(refusal);
        }

        var before = Snapshot(report);
        await decision.Apply!();
        report.Version++;
        audit.Record(actor, action, "report", report.Code, before, Snapshot(report));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Discard(new Outcome<Report>.Conflict(text["Handling_SameMoment"]));
        }

        signal.NotifyChanged(report.Code);
        _alsoChanged.ForEach(signal.NotifyChanged);
        _alsoChanged.Clear();
        return new Outcome<Report>.Done(report);
    }

    /// <summary>Forgets whatever a refused request loaded or touched, so that a later save on this context cannot write it.</summary>
    private Outcome<Report> Discard(Outcome<Report> refusal)
    {
        db.ChangeTracker.Clear();
        _alsoChanged.Clear();
        return refusal;
    }

    private Outcome<Report>.Conflict Refuse(string key, Report report) =>
        new(text[key, text["Status_" + ReportViews.StatusCode(report.Status)]]);

    private static Outcome<Report>.Invalid Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });

    private void CheckText(string field, string? value, bool required, Dictionary<string, string[]> errors, int minLength = 1, int maxLength = ReportRules.MaxDescription)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0 && !required)
        {
            return;
        }

        if (trimmed.Length < minLength || trimmed.Length > maxLength)
        {
            errors[field] = [text["Handling_TextLength", minLength, maxLength]];
            return;
        }

        PlainText.Check(field, trimmed, errors);
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private async Task<string?> UnitNameAsync(string? unitCode, CancellationToken cancellationToken) => unitCode is null ? null
        : await db.Units.IgnoreQueryFilters().Where(u => u.Code == unitCode).Select(u => u.Name).SingleOrDefaultAsync(cancellationToken);

    /// <summary>Back to the city's triage desk (the city's path), with the reason the desk will read.</summary>
    private void SendToDesk(Report report, string reason)
    {
        report.TriageReason = reason.Length > ReportRules.MaxTriageReason ? reason[..ReportRules.MaxTriageReason] : reason;
        report.UnitPath = report.UnitPath is { } path ? path[..(path.IndexOf('/', 1) + 1)] : null;
        report.DueAt = null;
        report.EscalatedAt = null;
        report.EscalatedTo = null;
        SetStatus(report, ReportStatus.NeedsTriage, null);
    }

    /// <summary>
    /// Gives the result to every report merged into this one (rejected as its duplicate): their residents get the
    /// answer too, on their own channels, and their status becomes resolved.
    /// </summary>
    private async Task ResolveMergedAsync(Report original, StaffActor actor)
    {
        var merged = await db.Reports.IgnoreQueryFilters().Include(r => r.Events).Include(r => r.Notes)
            .Where(r => r.DuplicateOfCode == original.Code && r.Status == ReportStatus.Rejected)
            .ToListAsync();
        foreach (var duplicate in merged)
        {
            var before = Snapshot(duplicate);
            duplicate.PublicResult = original.PublicResult;
            duplicate.ResolvedAt = original.ResolvedAt;
            duplicate.Version++;
            SetStatus(duplicate, ReportStatus.Resolved, original.Code);
            audit.Record(actor, "resolve-merged", "report", duplicate.Code, before, Snapshot(duplicate));
            _alsoChanged.Add(duplicate.Code);
        }
    }

    private void SetStatus(Report report, ReportStatus status, string? publicNote)
    {
        report.Status = status;
        report.Events.Add(new ReportEvent { ReportId = report.Id, At = time.GetUtcNow(), Status = status, PublicNote = publicNote });
    }

    /// <summary>Sets a category a person chose and keeps the correction for tuning the classifier.</summary>
    private void CorrectCategory(Report report, string? category, StaffActor actor)
    {
        if (category is null || report.CategoryCode == category)
        {
            return;
        }

        db.CategoryCorrections.Add(new CategoryCorrection
        {
            ReportId = report.Id,
            At = time.GetUtcNow(),
            Description = report.Description,
            FromCategory = report.CategoryCode,
            ToCategory = category,
            By = actor.Name,
        });
        report.CategoryCode = category;
    }

    private static object Snapshot(Report r) => new
    {
        status = ReportViews.StatusCode(r.Status),
        r.CategoryCode,
        r.UnitCode,
        r.WardCode,
        r.DueAt,
        r.PublicResult,
        r.FineVnd,
        r.BusinessSuspended,
        r.RejectionReason,
        r.DuplicateOfCode,
        notes = r.Notes.Count,
    };
}
