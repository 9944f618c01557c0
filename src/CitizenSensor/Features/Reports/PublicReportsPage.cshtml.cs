using System.Text.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

/// <summary>The public list and map (<c>/reports</c>); the list works without JavaScript.</summary>
public sealed class PublicReportsPageModel(CitizenDb db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    public IReadOnlyList<PublicListItem> Items { get; private set; } = [];

    public IReadOnlyList<UnitLink> Districts { get; private set; } = [];

    public IReadOnlyList<CategoryView> Categories { get; private set; } = [];

    public string PointsJson { get; private set; } = "[]";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Items = await PublicReportsApi.LoadAsync(db, Unit, Category, 200, cancellationToken);
        // The units reports are routed to, today's set first (communes), then the earlier ones (2021 districts).
        Districts = [.. (await db.Units.AsNoTracking().Where(u => u.Level == u.Set!.HandlingDepth)
                .Select(u => new { u.Code, u.Name, u.ParentCode, u.Set!.ValidFrom }).ToListAsync(cancellationToken))
            .OrderByDescending(u => u.ValidFrom ?? DateOnly.MinValue).ThenBy(u => u.ParentCode, StringComparer.Ordinal).ThenBy(u => u.Name, StringComparer.Ordinal)
            .Select(u => new UnitLink(u.Code, u.Name))];
        Categories = await db.Categories.AsNoTracking().Where(c => c.Active).OrderBy(c => c.SortOrder)
            .Select(c => new CategoryView(c.Code, ReportViews.English ? c.NameEn : c.NameVi)).ToListAsync(cancellationToken);
        PointsJson = JsonSerializer.Serialize(Items.Where(i => i.Lat is not null).Select(i => new { i.Code, i.Status, i.Lat, i.Lng }), JsonSerializerOptions.Web);
    }
}
