using System.Globalization;
using System.Security.Claims;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure.Export;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// <c>GET /api/v1/stats/reports</c> and its export: the figures of <see cref="ReportStatistics"/>, over the caller's
/// units, for city days <c>from</c>..<c>to</c> (yyyy-MM-dd; the last 30 days by default); <c>in=2025</c> counts the
/// reports of every period in today's communes.
/// </summary>
public static class ReportStatsApi
{
    public static IEndpointRouteBuilder MapReportStatsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/stats/reports").WithTags("Reports (staff)").RequireAuthorization();
        group.MapGet("/", Figures)
            .WithSummary("Reports received by category, unit, channel and day; the 5- and 60-minute promises kept per unit and category; median times; fines and suspensions");
        group.MapGet("/export", Export)
            .WithSummary("The same reports, one row each, as CSV (UTF-8) or XLSX (format=csv|xlsx), streamed")
            .Produces(StatusCodes.Status200OK, contentType: TableExport.CsvContentType, additionalContentTypes: [TableExport.XlsxContentType]);
        return routes;
    }

    internal static async Task<Results<Ok<ReportStats>, ValidationProblem, ProblemHttpResult>> Figures(
        ReportStatistics statistics, ClaimsPrincipal user, string? from, string? to, string? unit, string? category, string? channel,
        [FromQuery(Name = "in")] string? inSet, CancellationToken cancellationToken)
    {
        if (!TryQuery(from, to, unit, category, channel, inSet, out var query, out var invalid))
        {
            return invalid;
        }

        return await statistics.ComputeAsync(StaffActor.From(user), query, cancellationToken) switch
        {
            StatsOutcome.Figures figures => TypedResults.Ok(figures.Stats),
            StatsOutcome.Invalid refused => TypedResults.ValidationProblem(refused.Errors),
            StatsOutcome.Forbidden forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: forbidden.Message),
            var other => throw new InvalidOperationException($"Unexpected outcome {other}"),
        };
    }

    internal static async Task<Results<TableExport, ValidationProblem, ProblemHttpResult>> Export(
        ReportStatistics statistics, ClaimsPrincipal user, string? format, string? from, string? to, string? unit, string? category, string? channel,
        [FromQuery(Name = "in")] string? inSet, CancellationToken cancellationToken)
    {
        if (!TableExport.TryParseFormat(format, out var tableFormat))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["'format' is csv or xlsx."] });
        }

        if (!TryQuery(from, to, unit, category, channel, inSet, out var query, out var invalid))
        {
            return invalid;
        }

        return await statistics.ExportAsync(StaffActor.From(user), query, cancellationToken) switch
        {
            StatsOutcome.Rows rows => FileOf(rows, tableFormat),
            StatsOutcome.Invalid refused => TypedResults.ValidationProblem(refused.Errors),
            StatsOutcome.Forbidden forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: forbidden.Message),
            var other => throw new InvalidOperationException($"Unexpected outcome {other}"),
        };
    }

    /// <summary>The export's file: "phan-anh-2026-10-05-2026-11-03.csv".</summary>
    internal static TableExport FileOf(StatsOutcome.Rows rows, TableFormat format) =>
        new(string.Create(CultureInfo.InvariantCulture, $"phan-anh-{rows.From:yyyy-MM-dd}-{rows.To:yyyy-MM-dd}"), format, rows.Headers, rows.Items);

    /// <summary>Reads the query string; days are yyyy-MM-dd; <c>in</c> names a unit set to count every report in (<see cref="StatsQuery.In"/>).</summary>
    internal static bool TryQuery(string? from, string? to, string? unit, string? category, string? channel, string? inSet, out StatsQuery query, out ValidationProblem invalid)
    {
        var errors = new Dictionary<string, string[]>();
        var first = ParseDay(from, "from", errors);
        var last = ParseDay(to, "to", errors);
        query = new StatsQuery(first, last, unit, category, channel, string.IsNullOrWhiteSpace(inSet) ? null : inSet.Trim());
        invalid = TypedResults.ValidationProblem(errors);
        return errors.Count == 0;
    }

    private static DateOnly? ParseDay(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors[name] = [$"'{name}' is a day as yyyy-MM-dd."];
        return null;
    }
}
