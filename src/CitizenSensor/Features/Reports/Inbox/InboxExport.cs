using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using CitizenSensor.Infrastructure.Export;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Reports.Inbox;

/// <summary>
/// The inbox's filtered list as a CSV or XLSX file, headed in the page's language (Vietnamese by default), streamed
/// row by row from the database to the response (<see cref="TableExport"/>): no page size, no list in memory.
/// </summary>
public sealed class InboxExport(ReportInbox inbox, IStringLocalizer<SharedResource> text, TimeProvider time)
{
    private static readonly string[] Columns = ["Code", "Status", "Category", "Unit", "Ward", "Channel", "Submitted", "Due", "Overdue", "Address", "Description"];

    public async Task<(TableExport? File, IReadOnlyDictionary<string, string[]>? Errors)> BuildAsync(StaffActor actor, InboxFilter filter, string? format, CancellationToken cancellationToken)
    {
        if (!TableExport.TryParseFormat(format, out var tableFormat))
        {
            return (null, new Dictionary<string, string[]> { ["format"] = [text["Inbox_BadFormat"]] });
        }

        var (rows, errors) = await inbox.AllAsync(actor, filter, cancellationToken);
        if (rows is null)
        {
            return (null, errors);
        }

        var yes = text["InboxYes"].Value;
        var no = text["InboxNo"].Value;
        var cells = rows.Select(r => new object?[]
        {
            r.Code, r.Status, r.Category, r.Unit, r.Ward, r.Channel, CityTime.ToLocal(r.SubmittedAt),
            r.DueAt is { } due ? CityTime.ToLocal(due) : null, r.Overdue ? yes : no, r.Address, r.Description,
        });
        var name = "phan-anh-" + CityTime.DayOf(time.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return (new TableExport(name, tableFormat, [.. Columns.Select(c => text["InboxColumn_" + c].Value)], cells), null);
    }
}
