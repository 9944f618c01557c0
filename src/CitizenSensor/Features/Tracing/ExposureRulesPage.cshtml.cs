using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Tracing;

/// <summary>
/// The Admin's page for a city's exposure rules (<c>/staff/tracing/rules</c>): the version in force, and a form that
/// saves the next one through <see cref="ExposureRuleBook"/>, as <c>PUT /api/v1/tracing/rules</c> does.
/// </summary>
[Authorize(Roles = StaffRoles.Admin)]
public sealed class ExposureRulesPageModel(ExposureRuleBook book, CitizenDb db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? City { get; set; }

    /// <summary>The cities served: GSO code → the name of the newest unit with that code.</summary>
    public IReadOnlyList<(string Code, string Name)> Cities { get; private set; } = [];

    public ExposureRulesDto Rules { get; private set; } = ExposureRulesDto.Of(ExposureRules.Default);

    public int Version { get; private set; }

    public string? SavedBy { get; private set; }

    public DateTimeOffset? SavedAt { get; private set; }

    public bool Saved { get; private set; }

    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(null, cancellationToken);

    public async Task<IActionResult> OnPostAsync(int lookBackDays, string? match, int windowMinutes, int minimumStayMinutes, int aerosolTailMaxMinutes, double highRiskMinutes,
        int defaultStayMinutes, string? kindWeights, int quarantineDays, int secondQuarantineDays, int clusterCases, int clusterDays, CancellationToken cancellationToken)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in (kindWeights ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('=', 2, StringSplitOptions.TrimEntries);
            weights[parts[0]] = parts.Length == 2 && double.TryParse(parts[1].Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var w) ? w : double.NaN;
        }

        var posted = new ExposureRulesDto(lookBackDays, match ?? "", windowMinutes, minimumStayMinutes, aerosolTailMaxMinutes, highRiskMinutes, defaultStayMinutes, weights,
            quarantineDays, secondQuarantineDays, clusterCases, clusterDays);
        switch (await book.SaveAsync(StaffActor.From(User), City, posted.ToRules(), cancellationToken))
        {
            case Outcome<RuleVersionView>.Done:
                Saved = true;
                break;
            case Outcome<RuleVersionView>.Invalid invalid:
                Problem = string.Join(" ", invalid.Errors.Values.Select(v => v[0]));
                Response.StatusCode = StatusCodes.Status400BadRequest;
                await LoadAsync(posted, cancellationToken);
                return Page();
            case Outcome<RuleVersionView>.Conflict conflict:
                Problem = conflict.Message;
                Response.StatusCode = StatusCodes.Status409Conflict;
                break;
            default:
                return Forbid();
        }

        await LoadAsync(null, cancellationToken);
        return Page();
    }

    /// <summary>The cities and the rules in force; after a refusal the form shows what was posted.</summary>
    private async Task LoadAsync(ExposureRulesDto? posted, CancellationToken cancellationToken)
    {
        Cities = [.. (await db.Units.IgnoreQueryFilters().AsNoTracking().Where(u => u.ParentCode == null)
                .Select(u => new { u.GsoCode, u.Name, u.Set!.ValidFrom }).ToListAsync(cancellationToken))
            .GroupBy(u => u.GsoCode).Select(g => (g.Key, g.OrderByDescending(u => u.ValidFrom ?? DateOnly.MinValue).First().Name)).OrderBy(c => c.Key, StringComparer.Ordinal)];
        City = Cities.Any(c => c.Code == City) ? City : Cities.Count > 0 ? Cities[0].Code : null;
        if (City is null)
        {
            return;
        }

        var current = await book.CurrentAsync(City, cancellationToken);
        (Version, SavedBy, SavedAt) = (current.Version, current.SavedBy, current.SavedAt);
        Rules = posted ?? ExposureRulesDto.Of(current.Rules);
    }
}
