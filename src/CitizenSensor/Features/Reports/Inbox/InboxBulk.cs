using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Reports.Inbox;

/// <summary>What a dispatcher asks to do to the selected reports: route to a unit, assign a ward, or reject.</summary>
public sealed record BulkRequest(string? Action, IReadOnlyList<string>? Codes, string? UnitCode, string? WardCode, string? Reason, string? Note);

/// <summary>What became of one selected report: done, or refused and why (in the page's language).</summary>
public sealed record BulkItemResult(string Code, bool Done, string Message);

/// <summary>The bulk action's answer: one line per report, or what is wrong with the request itself.</summary>
public sealed record BulkOutcome(IReadOnlyList<BulkItemResult>? Items, IReadOnlyDictionary<string, string[]>? Errors)
{
    public int DoneCount => Items?.Count(i => i.Done) ?? 0;
}

/// <summary>
/// Bulk actions from the inbox. Each report goes through <see cref="ReportHandling"/> on its own, so the same role,
/// scope and state rules apply as on the report's page, and each is saved with its audit entry or left untouched;
/// one refusal does not stop the others.
/// </summary>
public sealed class InboxBulk(ReportHandling handling, IStringLocalizer<SharedResource> text)
{
    public const int MaxItems = 200;
    public static readonly string[] Actions = ["route", "ward", "reject"];

    public async Task<BulkOutcome> ApplyAsync(StaffActor actor, BulkRequest request, CancellationToken cancellationToken)
    {
        var codes = (request.Codes ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(Report.NormalizeCode).Distinct(StringComparer.Ordinal).ToList();
        var errors = new Dictionary<string, string[]>();
        if (!Actions.Contains(request.Action))
        {
            errors["action"] = [text["Inbox_BulkBadAction"]];
        }

        if (codes.Count is 0 or > MaxItems)
        {
            errors["codes"] = [text["Inbox_BulkCount", MaxItems]];
        }

        if (errors.Count > 0)
        {
            return new BulkOutcome(null, errors);
        }

        var results = new List<BulkItemResult>(codes.Count);
        foreach (var code in codes)
        {
            var outcome = request.Action switch
            {
                "route" => await handling.RouteAsync(actor, code, request.UnitCode, null, null, cancellationToken),
                "ward" => await handling.AssignWardAsync(actor, code, request.WardCode, null, cancellationToken),
                _ => await handling.RejectAsync(actor, code, request.Reason, request.Note, null, cancellationToken),
            };
            results.Add(new BulkItemResult(code, outcome is Outcome<Report>.Done, Describe(outcome, request.Action!)));
        }

        return new BulkOutcome(results, null);
    }

    private string Describe(Outcome<Report> outcome, string action) => outcome switch
    {
        Outcome<Report>.Done => text["Inbox_BulkDone_" + action],
        Outcome<Report>.NotFound => text["Inbox_BulkNotFound"],
        Outcome<Report>.Forbidden forbidden => forbidden.Message,
        Outcome<Report>.Conflict conflict => conflict.Message,
        Outcome<Report>.Invalid invalid => string.Join(" ", invalid.Errors.SelectMany(e => e.Value)),
        _ => throw new InvalidOperationException($"Unexpected outcome {outcome}."),
    };
}

/// <summary>The channels the inbox filters by, in the order its list shows them.</summary>
public static class InboxChannels
{
    public static readonly string[] All = [ReportChannels.Web, ReportChannels.App, ReportChannels.Phone, ReportChannels.Email, ReportChannels.Facebook, ReportChannels.Open311];
}
