using System.Security.Claims;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Tracing;

/// <summary>
/// Exposure rules as the API reads and writes them: <c>match</c> is any-overlap, scan-within or weighted-overlap; the
/// quarantine days and the cluster rule, when left out, are the defaults.
/// </summary>
public sealed record ExposureRulesDto(
    int LookBackDays, string Match, int WindowMinutes, int MinimumStayMinutes, int AerosolTailMaxMinutes, double HighRiskMinutes, int DefaultStayMinutes,
    IReadOnlyDictionary<string, double>? KindWeights, int? QuarantineDays = null, int? SecondQuarantineDays = null, int? ClusterCases = null, int? ClusterDays = null)
{
    public static ExposureRulesDto Of(ExposureRules rules) => new(rules.LookBackDays, MatchName(rules.Match), rules.WindowMinutes, rules.MinimumStayMinutes,
        rules.AerosolTailMaxMinutes, rules.HighRiskMinutes, rules.DefaultStayMinutes, rules.KindWeights, rules.QuarantineDays, rules.SecondQuarantineDays,
        rules.ClusterCases, rules.ClusterDays);

    /// <summary>The values; an unknown <c>match</c> becomes 0, which <see cref="ExposureRules.Problems"/> names.</summary>
    public ExposureRules ToRules() => new(LookBackDays, Match switch
    {
        "any-overlap" => ExposureMatch.AnyOverlap,
        "scan-within" => ExposureMatch.ScanWithin,
        "weighted-overlap" => ExposureMatch.WeightedOverlap,
        _ => 0,
    }, WindowMinutes, MinimumStayMinutes, AerosolTailMaxMinutes, HighRiskMinutes, DefaultStayMinutes, KindWeights ?? new Dictionary<string, double>(),
        QuarantineDays ?? ExposureRules.Default.QuarantineDays, SecondQuarantineDays ?? ExposureRules.Default.SecondQuarantineDays,
        ClusterCases ?? ExposureRules.Default.ClusterCases, ClusterDays ?? ExposureRules.Default.ClusterDays);

    private static string MatchName(ExposureMatch match) => match switch
    {
        ExposureMatch.ScanWithin => "scan-within",
        ExposureMatch.WeightedOverlap => "weighted-overlap",
        _ => "any-overlap",
    };
}

public sealed record RulesResponse(string City, int Version, ExposureRulesDto Rules, DateTimeOffset? SavedAt, string? SavedBy)
{
    public static RulesResponse Of(RuleVersionView view) => new(view.City, view.Version, ExposureRulesDto.Of(view.Rules), view.SavedAt, view.SavedBy);
}

/// <summary>
/// <c>/api/v1/tracing</c>: cases (F0), their identity (a reason, audited), tracing to F1 and the exposures found, and
/// each city's exposure rules (read by tracers, saved by Admin as a new version).
/// </summary>
public static class TracingApi
{
    public static IEndpointRouteBuilder MapTracingApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/tracing").WithTags("Tracing")
            .RequireAuthorization(p => p.RequireRole(CaseDesk.Tracers));
        group.MapPost("/cases", Open).WithSummary("Open a case (F0) by phone, name and citizen ID, with its test and onset days and where the person isolates");
        group.MapGet("/cases", List).WithSummary("The cases in your units, newest first, without identities; status=active|recovered|deceased|moved-away|all");
        group.MapGet("/cases/{id:long}", Get).WithSummary("A case in your units, without its identity");
        group.MapPatch("/cases/{id:long}", Update).WithSummary("Change a case's status (active, recovered, deceased, moved-away), isolation or ward (audited)");
        group.MapPost("/cases/import", Import).WithSummary("Open the cases of a lab's list (CSV: phone,name,test_date,ward[,citizen_id,onset_date,isolation,facility]); every row checked, all or none, known rows skipped")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(CaseImport.MaxBytes)).DisableAntiforgery();
        group.MapGet("/cases/{id:long}/identity", Identity).WithSummary("A case's phone, name and citizen ID, for a reason (audited)");
        group.MapPost("/cases/{id:long}/trace", Trace).WithSummary("Trace the case's check-ins to the people at the same venues in overlapping windows (F1), under the city's rules; with f2=true, the F1s' later check-ins too (F2)");
        group.MapGet("/cases/{id:long}/exposures", Exposures).WithSummary("The people found (F1) at venues in your units: where, when, how long, how strong; never who the case is");
        group.MapGet("/cases/{id:long}/contacts", Contacts).WithSummary("The case's F1 and F2 list with phones and names, as CSV or XLSX, for a reason (audited); only contacts at venues of your units or whose task is there")
            .Produces(StatusCodes.Status200OK, contentType: Infrastructure.Export.TableExport.CsvContentType, additionalContentTypes: [Infrastructure.Export.TableExport.XlsxContentType]);
        group.MapGet("/cases/{id:long}/leads", Leads).WithSummary("The places and exposures the case declared within the look-back, with venues that may be those places (audited)");
        group.MapGet("/sites", Sites).WithSummary("Places of exposure in a unit of yours over the city's cluster window: by handling unit for the map, each site, and the venues and wards flagged as clusters");
        group.MapPut("/sites/{id:long}/publication", Publish).WithSummary("Put a place of exposure on the public list with advice, or take it off (audited)");
        group.MapGet("/rules", Rules).WithSummary("The exposure rules in force for a city, with their version");
        group.MapPut("/rules", SaveRules).WithSummary("Save a city's exposure rules as a new version (Admin)");
        return routes;
    }

    internal static async Task<Results<Created<CaseView>, ProblemHttpResult, ValidationProblem>> Open(OpenCaseRequest request, CaseDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await desk.OpenAsync(StaffActor.From(user), request, cancellationToken)).ToApi(c => TypedResults.Created($"/api/v1/tracing/cases/{c.Id}", c), "The case was not opened");

    internal static async Task<Results<Ok<CaseView>, ProblemHttpResult, ValidationProblem>> Get(long id, CaseDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await desk.GetAsync(StaffActor.From(user), id, cancellationToken)).ToApi(TypedResults.Ok, "No case");

    internal static async Task<Results<Ok<IReadOnlyList<CaseView>>, ProblemHttpResult, ValidationProblem>> List(string? status, CaseDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await desk.ListAsync(StaffActor.From(user), status, cancellationToken)).ToApi(TypedResults.Ok, "No cases");

    internal static async Task<Results<Infrastructure.Export.TableExport, ProblemHttpResult, ValidationProblem>> Contacts(
        long id, string? format, string? reason, ContactExport export, ClaimsPrincipal user, IStringLocalizer<SharedResource> text, CancellationToken cancellationToken)
    {
        if (!Infrastructure.Export.TableExport.TryParseFormat(format, out var tableFormat))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = [text["Inbox_BadFormat"]] });
        }

        return (await export.ListAsync(StaffActor.From(user), id, reason, cancellationToken))
            .ToApi(list => new Infrastructure.Export.TableExport(list.FileName, tableFormat, list.Headers, list.Rows.ToAsyncEnumerable()), "The list was not exported");
    }

    internal static async Task<Results<Ok<CaseLeadsView>, ProblemHttpResult, ValidationProblem>> Leads(long id, CaseLeads leads, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await leads.LeadsAsync(StaffActor.From(user), id, cancellationToken)).ToApi(TypedResults.Ok, "No leads");

    internal static async Task<Results<Ok<HotspotsView>, ProblemHttpResult, ValidationProblem>> Sites(string? unit, ExposureSites sites, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await sites.HotspotsAsync(StaffActor.From(user), unit, cancellationToken)).ToApi(TypedResults.Ok, "No places of exposure");

    internal static async Task<Results<Ok<SiteView>, ProblemHttpResult, ValidationProblem>> Publish(long id, PublishSiteRequest request, ExposureSites sites, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await sites.PublishAsync(StaffActor.From(user), id, request, cancellationToken)).ToApi(TypedResults.Ok, "The place of exposure was not changed");

    internal static async Task<Results<Ok<CaseView>, ProblemHttpResult, ValidationProblem>> Update(long id, UpdateCaseRequest request, CaseDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await desk.UpdateAsync(StaffActor.From(user), id, request, cancellationToken)).ToApi(TypedResults.Ok, "The case was not changed");

    internal static async Task<Results<Ok<CaseImportResult>, ProblemHttpResult, ValidationProblem>> Import(
        HttpRequest request, CaseImport import, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (body, tooLarge, notOneFile) = await CsvUpload.OpenAsync(request, CaseImport.MaxBytes, "A lab's list", CaseImport.MaxRows, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        if (notOneFile is not null || body is null)
        {
            return notOneFile!;
        }

        return (await import.ImportAsync(StaffActor.From(user), body, cancellationToken)).ToApi(TypedResults.Ok, "Nothing was imported");
    }

    internal static async Task<Results<Ok<CaseIdentity>, ProblemHttpResult, ValidationProblem>> Identity(long id, string? reason, CaseDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await desk.IdentityAsync(StaffActor.From(user), id, reason, cancellationToken)).ToApi(TypedResults.Ok, "The identity was not opened");

    internal static async Task<Results<Ok<TraceResult>, ProblemHttpResult, ValidationProblem>> Trace(long id, bool? f2, CaseTracer tracer, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await tracer.TraceAsync(StaffActor.From(user), id, f2 == true, cancellationToken)).ToApi(TypedResults.Ok, "The case was not traced");

    internal static async Task<Results<Ok<IReadOnlyList<ExposureView>>, ProblemHttpResult, ValidationProblem>> Exposures(long id, CaseDesk desk, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await desk.ExposuresAsync(StaffActor.From(user), id, cancellationToken)).ToApi(TypedResults.Ok, "No exposures");

    internal static async Task<Results<Ok<RulesResponse>, ValidationProblem>> Rules(string? city, ExposureRuleBook book, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(city) || city.Trim().Length > 16)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["city"] = ["'city' is the code of a city served ('79', '01')."] });
        }

        return TypedResults.Ok(RulesResponse.Of(await book.CurrentAsync(city.Trim(), cancellationToken)));
    }

    internal static async Task<Results<Ok<RulesResponse>, ProblemHttpResult, ValidationProblem>> SaveRules(
        string? city, ExposureRulesDto rules, ExposureRuleBook book, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await book.SaveAsync(StaffActor.From(user), city, rules.ToRules(), cancellationToken)).ToApi(v => TypedResults.Ok(RulesResponse.Of(v)), "The rules were not saved");
}

/// <summary>Cases and contact tracing (issue 16): the desks and the API.</summary>
public static class TracingSetup
{
    internal static async Task<Results<Ok<TracingFiguresView>, ProblemHttpResult, ValidationProblem>> Figures(
        string? date, string? unit, string? day, TracingFigures figures, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await figures.FiguresAsync(StaffActor.From(user), date, unit, day, cancellationToken)).ToApi(TypedResults.Ok, "No figures");

    public static WebApplicationBuilder AddTracing(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<CaseDesk>();
        builder.Services.AddScoped<CaseTracer>();
        builder.Services.AddScoped<ContactTasks>();
        builder.Services.AddScoped<CaseImport>();
        builder.Services.AddScoped<CaseLeads>();
        builder.Services.AddScoped<ContactExport>();
        builder.Services.AddScoped<ExposureSites>();
        builder.Services.AddScoped<TracingFigures>();
        var options = builder.Configuration.GetSection("Tracing").Get<TracingOptions>() ?? new TracingOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<TracingRetention>();
        if (options.RetentionEnabled)
        {
            builder.Services.AddHostedService(s => s.GetRequiredService<TracingRetention>());
        }

        builder.Services.AddScoped<ContactNotices>();
        builder.Services.AddScoped<IResidentNotices>(services => services.GetRequiredService<ContactNotices>());
        builder.Services.AddSingleton<Reports.Webhooks.IOutboxAddressBook, ContactNoticeAddresses>();
        builder.Services.AddScoped<ExposureRuleBook>();
        return builder;
    }

    public static WebApplication MapTracing(this WebApplication app)
    {
        app.MapTracingApi();
        app.MapExposureSitesApi();
        app.MapGroup("/api/v1/stats/tracing").WithTags("Tracing").RequireAuthorization().RequireUnitScope()
            .MapGet("/", Figures).WithSummary("New cases (F0), F1s and F2s on a reporting day, F1s reached within 24 hours, by handling unit, with the last 30 days");
        return app;
    }
}
