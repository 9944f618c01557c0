using CitizenSensor.Data;
using CitizenSensor.Features.Reports.Attachments;
using CitizenSensor.Features.Reports.Following;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CitizenSensor.Features.Reports;

/// <summary>The public reports API: submit (mobile app and integrations) and follow a report by its code.</summary>
public static class ReportsApi
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static RouteGroupBuilder MapReportsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/reports").WithTags("Reports");
        group.MapPost("/", Submit).RequireRateLimiting(PublicLimits.Reports).WithSummary("Report a problem (JSON); retries with the same Idempotency-Key return the same report");
        var attachments = routes.ServiceProvider.GetRequiredService<AttachmentOptions>();
        group.MapPost("/", SubmitWithFiles).RequireRateLimiting(PublicLimits.Reports)
            .Accepts<ReportForm>("multipart/form-data")
            .WithOrder(1) // a POST with no Content-Type goes to the JSON endpoint (a 415), not to both (a 500 for ambiguity)
            .DisableAntiforgery() // an anonymous API for apps: there is no session to forge
            .WithMetadata(new RequestSizeLimitAttribute(attachments.MaxRequestBytes))
            .WithFormOptions(multipartBodyLengthLimit: attachments.MaxRequestBytes)
            .WithSummary("Report a problem with photos or videos (multipart/form-data, fields as in JSON plus 'files')");
        group.MapGet("/{code}", Get).WithSummary("Where a report stands, without personal data");
        group.MapReportEvents();
        group.MapPublicReports();
        group.MapNearbyReports();
        group.MapFollowers();
        return group;
    }

    internal static async Task<Results<Created<SubmittedReport>, ValidationProblem, ProblemHttpResult>> Submit(
        ReportSubmission submission,
        [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey,
        ReportIntake intake,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        var result = await intake.SubmitAsync(submission, ReportChannels.App, idempotencyKey, cancellationToken);
        return Answer(result, http);
    }

    private static Results<Created<SubmittedReport>, ValidationProblem, ProblemHttpResult> Answer(IntakeResult result, HttpContext http)
    {
        switch (result.Outcome)
        {
            case IntakeOutcome.Invalid:
                return TypedResults.ValidationProblem(result.Errors, title: "The report cannot be accepted");
            case IntakeOutcome.KeyReused:
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency key reused",
                    detail: result.Errors.Values.Single().Single());
            case IntakeOutcome.Replayed:
                http.Response.Headers["Idempotent-Replayed"] = "true";
                break;
        }

        var report = result.Report!;
        return TypedResults.Created($"/api/v1/reports/{report.Code}", new SubmittedReport(report.Code, ReportViews.StatusCode(ReportStatus.Received), TrackingUrl(http, report.Code), result.LikelyDuplicates)
        {
            Webhook = report.WebhookUrl is null ? null : new WebhookView(report.WebhookUrl, report.WebhookSecret!),
        });
    }

    internal static async Task<Results<Created<SubmittedReport>, ValidationProblem, ProblemHttpResult>> SubmitWithFiles(
        [FromForm] ReportForm? form,
        IFormFileCollection files,
        [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey,
        ReportIntake intake,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        // A form with none of the report's fields binds to no form at all: it is then an empty report, refused field by field.
        if (!(form ?? new ReportForm()).TryGetSubmission(out var submission, out var errors))
        {
            return TypedResults.ValidationProblem(errors, title: "The report cannot be accepted");
        }

        var incoming = files.Select(f => new IncomingFile(f.Name, f.FileName, f.Length, f.OpenReadStream)).ToList();
        var result = await intake.SubmitAsync(submission, ReportChannels.App, idempotencyKey, cancellationToken, incoming);
        return Answer(result, http);
    }

    internal static async Task<Results<Ok<PublicReport>, ProblemHttpResult>> Get(string code, CitizenDb db, CancellationToken cancellationToken)
    {
        var report = await ReportViews.LoadPublicAsync(db, code, cancellationToken);
        return report is null ? NotFound(code) : TypedResults.Ok(report);
    }

    internal static ProblemHttpResult NotFound(string code) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Report not found", detail: $"There is no report with code '{code}'.");

    public static string TrackingUrl(HttpContext http, string code) => PublicSite.Of(http).Link($"/r/{code}");
}
