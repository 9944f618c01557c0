using System.Globalization;
using CitizenSensor.Infrastructure.Export;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Tracing;

/// <summary>
/// The public feed of places of exposure (<c>GET /api/v1/exposure-sites</c>): JSON, or CSV with <c>format=csv</c>; the
/// venue, its address and ward, the window and the advice, never a person. 404 when the city does not publish a list.
/// </summary>
public static class ExposureSitesApi
{
    public static IEndpointRouteBuilder MapExposureSitesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/exposure-sites", Feed).WithTags("Tracing").AllowAnonymous()
            .WithSummary("The public list of places of exposure: venue, address, ward, time window and advice (JSON, or format=csv)")
            .Produces(StatusCodes.Status200OK, contentType: TableExport.CsvContentType);
        return routes;
    }

    internal static async Task<Results<Ok<IReadOnlyList<PublicSite>>, TableExport, ValidationProblem, NotFound>> Feed(
        string? format, ExposureSites sites, TracingOptions options, IStringLocalizer<SharedResource> text, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!options.PublicSites)
        {
            return TypedResults.NotFound();
        }

        if (format is not (null or "" or "json" or "csv"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["'format' is json (the default) or csv."] });
        }

        var list = await sites.PublicAsync(cancellationToken);
        if (format != "csv")
        {
            return TypedResults.Ok(list);
        }

        string[] headers = [text["SitesVenue"], text["SitesAddress"], text["SitesWard"], text["SitesFrom"], text["SitesTo"], text["SitesAdvice"]];
        return new TableExport(string.Create(CultureInfo.InvariantCulture, $"dia-diem-nguy-co-{Infrastructure.CityTime.DayOf(time.GetUtcNow()):yyyy-MM-dd}"), TableFormat.Csv, headers,
            Rows(list));
    }

    private static async IAsyncEnumerable<object?[]> Rows(IReadOnlyList<PublicSite> list)
    {
        foreach (var s in list)
        {
            yield return [s.Venue, s.Address, s.Ward, Infrastructure.CityTime.ToLocal(s.From).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                Infrastructure.CityTime.ToLocal(s.To).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), s.Advice];
        }

        await Task.CompletedTask;
    }
}
