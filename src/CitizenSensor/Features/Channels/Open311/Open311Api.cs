using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Reports;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;

namespace CitizenSensor.Features.Channels.Open311;

public sealed class Open311Options
{
    /// <summary>Report submissions (POST requests) one API key may make per minute, per app node (<see cref="PublicLimits.Open311Posts"/>).</summary>
    public int PostsPerMinute { get; set; } = 60;

    /// <summary>Who runs the endpoint, for the discovery document.</summary>
    public string Contact { get; set; } = "1022 — Cổng tiếp nhận phản ánh";

    /// <summary>
    /// Each city's <c>jurisdiction_id</c> (one per city) and the code of its city-level unit. Configuration adds to
    /// these defaults or changes them (<c>Open311:Jurisdictions:hanoi.gov.vn = 01</c>); an empty code removes one.
    /// </summary>
    public Dictionary<string, string> Jurisdictions { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hochiminhcity.gov.vn"] = "79",
        ["hanoi.gov.vn"] = "01",
    };
}

/// <summary>
/// An Open311 GeoReport v2 server over the reports (wiki.open311.org/GeoReport_v2): XML, and JSON; form-encoded POSTs
/// with <c>api_key</c>; Open311 error bodies; the <c>page</c>/<c>page_size</c> extension; and FixMyStreet's
/// <c>servicerequestupdates</c>, so that a client can pull the results of the reports it filed.
/// </summary>
public static class Open311Api
{
    public const string Base = "/open311/v2";
    public const int MaxPageSize = 1000;
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(90);

    /// <summary>What lists show: reports that reached a unit, as the public list (needs-triage and rejected stay off).</summary>
    private static readonly ReportStatus[] Listed = [ReportStatus.Routed, ReportStatus.InProgress, ReportStatus.Resolved];

    public static IEndpointRouteBuilder MapOpen311(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Base).WithTags("Open311 GeoReport v2");
        // Every resource ends in .xml or .json; anything else is an Open311 404, before any handler runs.
        group.AddEndpointFilter(static async (context, next) =>
            context.HttpContext.GetRouteValue("format") is string format && !Open311Document.IsKnownFormat(format)
                ? UnknownFormat(context.HttpContext, format)
                : await next(context));
        group.MapGet("/discovery.{format}", Discovery).WithSummary("Service discovery");
        group.MapGet("/services.{format}", Services).WithSummary("The services: one per category, and 'general'");
        group.MapGet("/services/{code}.{format}", ServiceDefinition).WithSummary("A service's attributes");
        group.MapGet("/requests.{format}", Requests).WithSummary("Service requests, filtered (90 days, 1,000 records by default)");
        group.MapPost("/requests.{format}", Post).DisableAntiforgery().RequireRateLimiting(PublicLimits.Open311Posts).WithSummary("File a service request (form-encoded, api_key required)");
        group.MapGet("/requests/{id}.{format}", Request).WithSummary("One service request");
        group.MapGet("/tokens/{token}.{format}", Token).WithSummary("The service request a token stands for");
        group.MapGet("/servicerequestupdates.{format}", Updates).WithSummary("Status changes in a window (FixMyStreet's extension)");
        return routes;
    }

    internal static IResult Discovery(string format, HttpContext http, Open311Options options, Open311Jurisdictions jurisdictions)
    {
        // Without a trailing slash: clients append "/services.xml" to it (and a doubled slash is tolerated anyway).
        var url = PublicSite.Of(http).Link(Base);
        return Open311Document.Answer(format, "discovery", Open311Object.Of(
            ("changeset", new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero)),
            ("contact", options.Contact),
            ("key_service", PublicSite.Of(http).Link("/staff/open311")),
            ("endpoints", new Open311List("endpoint", [Open311Object.Of(
                ("specification", "http://wiki.open311.org/GeoReport_v2"),
                ("url", url),
                ("changeset", new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero)),
                ("type", "production"),
                ("formats", new Open311List("format", [new Open311Value("text/xml"), new Open311Value("application/json")])))])),
            ("jurisdictions", new Open311List("jurisdiction", [.. jurisdictions.All.Select(j => Open311Object.Of(("jurisdiction_id", j.Key), ("unit_code", j.Value)))]))));
    }

    internal static async Task<IResult> Services(string format, CategoryCache categories, CancellationToken cancellationToken)
    {
        var english = ReportViews.English;
        var active = (await categories.GetAsync(cancellationToken)).Values.Where(c => c.Active).OrderBy(c => c.SortOrder).ThenBy(c => c.Code, StringComparer.Ordinal);
        var services = active.Select(c => Open311Services.Service(c.Code, c.Name(english), c.Name(english), english))
            .Append(Open311Services.Service(Open311Services.General, english ? "Not sure: let the city classify it" : "Chưa rõ lĩnh vực: để hệ thống phân loại",
                english ? "The report is classified automatically; later requests show the category chosen." : "Phản ánh được phân loại tự động; lần tra cứu sau sẽ thấy lĩnh vực đã chọn.", english));
        return Open311Document.Answer(format, "services", new Open311List("service", [.. services]));
    }

    internal static async Task<IResult> ServiceDefinition(string code, string format, CategoryCache categories, CancellationToken cancellationToken)
    {
        if (code != Open311Services.General && !(await categories.ActiveCodesAsync(cancellationToken)).Contains(code))
        {
            return Open311Document.Error(format, StatusCodes.Status404NotFound, $"service_code '{PlainText.Shorten(code, 40)}' not found");
        }

        return Open311Document.Answer(format, "service_definition", Open311Services.Definition(code, ReportViews.English));
    }

    internal static async Task<IResult> Post(string format, HttpContext http, Open311Keys keys, ReportIntake intake, CategoryCache categories, Open311Jurisdictions jurisdictions, CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType)
        {
            return Open311Document.Error(format, StatusCodes.Status415UnsupportedMediaType, "The body must be form-encoded (application/x-www-form-urlencoded).");
        }

        var form = await http.Request.ReadFormAsync(cancellationToken);
        string? Field(string name) => Parameter(form, name);

        var client = await keys.FindAsync(Field("api_key"), cancellationToken);
        if (client is null)
        {
            return Open311Document.Error(format, StatusCodes.Status403Forbidden, Field("api_key") is null ? "api_key is missing" : "api_key is not valid");
        }

        // What the request names must exist: an unknown service or jurisdiction is a 404, as the specification says.
        var serviceCode = Field("service_code");
        if (serviceCode is not null && serviceCode != Open311Services.General && !(await categories.ActiveCodesAsync(cancellationToken)).Contains(serviceCode))
        {
            return Open311Document.Error(format, StatusCodes.Status404NotFound, $"service_code '{PlainText.Shorten(serviceCode, 40)}' not found");
        }

        var jurisdictionId = Field("jurisdiction_id");
        var cityCode = jurisdictionId is null ? null : jurisdictions.CityOf(jurisdictionId);
        if (jurisdictionId is not null && cityCode is null)
        {
            return Open311Document.Error(format, StatusCodes.Status404NotFound, $"jurisdiction_id '{PlainText.Shorten(jurisdictionId, 40)}' not found");
        }

        var (submission, errors) = ReadSubmission(Field, serviceCode);
        if (errors.Count == 0 && cityCode is not null && submission.Lat is { } lat && submission.Lng is { } lng && !await jurisdictions.ContainsAsync(cityCode, lat, lng))
        {
            errors.Add($"lat/long: the point lies outside jurisdiction_id '{jurisdictionId}'.");
        }

        if (errors.Count > 0)
        {
            return Open311Document.Error(format, StatusCodes.Status400BadRequest, [.. errors]);
        }

        var result = await intake.SubmitAsync(submission, ReportChannels.Open311, idempotencyKey: null, cancellationToken);
        if (result.Outcome != IntakeOutcome.Created)
        {
            return Open311Document.Error(format, StatusCodes.Status400BadRequest,
                [.. result.Errors.Select(e => $"{Open311Field(e.Key)}: {Open311Wording(string.Join(" ", e.Value))}")]);
        }

        // The request is stored at once, so the answer carries its service_request_id and no token (one or the other).
        var notice = Field("media_url") is null ? "" : "media_url is not fetched; send photos through /api/v1/reports (multipart).";
        return Open311Document.Answer(format, "service_requests", new Open311List("request", [Open311Object.Of(
            ("service_request_id", result.Report!.Code),
            ("service_notice", notice),
            ("account_id", null))]), StatusCodes.Status201Created);
    }

    /// <summary>The submission a POST's fields describe, and what is wrong with them, in Open311's words.</summary>
    private static (ReportSubmission Submission, List<string> Errors) ReadSubmission(Func<string, string?> field, string? serviceCode)
    {
        var errors = new List<string>();
        if (serviceCode is null)
        {
            errors.Add("service_code is required");
        }

        double? lat = null, lng = null;
        if (field("lat") is not null || field("long") is not null)
        {
            if (GeoPoint.TryParse(field("lat"), field("long"), out var point, out var pointErrors))
            {
                (lat, lng) = (point.Latitude, point.Longitude);
            }
            else
            {
                errors.AddRange(pointErrors.Select(e => Open311Wording(e.Value[0])));
            }
        }

        var address = Address(field("address_string"), field("address_id"), errors);
        if (lat is null && address is null && field("lat") is null && field("long") is null)
        {
            errors.Add("location is missing: give lat and long, address_string or address_id.");
        }

        var description = field("description");
        foreach (var attribute in serviceCode is null ? [] : Open311Services.AttributesOf(serviceCode))
        {
            var value = field($"attribute[{attribute.Code}]");
            if (value is null)
            {
                if (attribute.Required)
                {
                    errors.Add($"attribute[{attribute.Code}] is required");
                }

                continue;
            }

            if (attribute.Check(value) is { } problem)
            {
                errors.Add(problem);
            }
            else
            {
                description = $"{description}\n{attribute.Description(english: false)}: {value}".TrimStart('\n');
            }
        }

        var name = string.Join(' ', new[] { field("first_name"), field("last_name") }.Where(n => n is not null));
        var reporter = new ReporterContact(name.Length > 0 ? name : null, field("phone"), field("email"));
        var anonymous = reporter is { Name: null, Phone: null, Email: null };
        var submission = new ReportSubmission(description, lat, lng, address,
            serviceCode == Open311Services.General ? null : serviceCode, anonymous ? null : reporter, anonymous)
        { DescriptionOptional = true };
        return (submission, errors);
    }

    /// <summary>
    /// The report's address: address_string, and the client's address_id kept beside it ("address_id: X") so that the
    /// triage desk can look it up; an address_id alone matches no unit, so such a request goes to triage without a point.
    /// </summary>
    private static string? Address(string? addressString, string? addressId, List<string> errors)
    {
        if (addressId is null)
        {
            return addressString;
        }

        if (addressId.Length > 100 || addressId.Any(char.IsControl))
        {
            errors.Add("address_id must be at most 100 characters of plain text.");
            return addressString;
        }

        return addressString is null ? $"address_id: {addressId}" : $"{addressString} (address_id: {addressId})";
    }

    internal static async Task<IResult> Requests(string format, HttpContext http, CitizenDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        string? Param(string name) => Parameter(http.Request.Query, name);
        var errors = new List<string>();

        IQueryable<Report> reports = db.Reports.IgnoreQueryFilters().AsNoTracking();
        if (Param("service_request_id") is { } ids)
        {
            // By id, the other filters do not apply (as the specification says).
            var codes = ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Report.NormalizeCode).Take(100).ToList();
            reports = reports.Where(r => codes.Contains(r.Code));
        }
        else
        {
            var (start, end, page, pageSize) = Window(Param, time, errors);
            var services = Param("service_code")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var statuses = Param("status")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (statuses?.FirstOrDefault(s => s is not ("open" or "closed")) is { } badStatus)
            {
                errors.Add($"status '{PlainText.Shorten(badStatus, 20)}' is not 'open' or 'closed'");
            }

            if (errors.Count > 0)
            {
                return Open311Document.Error(format, StatusCodes.Status400BadRequest, [.. errors]);
            }

            reports = reports.Where(r => Listed.Contains(r.Status) && r.SubmittedAt >= start && r.SubmittedAt <= end);
            if (services is { Length: > 0 })
            {
                reports = reports.Where(r => services.Contains(r.CategoryCode!));
            }

            if (statuses is { Length: 1 })
            {
                reports = statuses[0] == "closed"
                    ? reports.Where(r => r.Status == ReportStatus.Resolved || r.Status == ReportStatus.Rejected)
                    : reports.Where(r => r.Status != ReportStatus.Resolved && r.Status != ReportStatus.Rejected);
            }

            reports = reports.OrderByDescending(r => r.SubmittedAt).Skip((page - 1) * pageSize).Take(pageSize);
        }

        var list = await DescribeAsync(db, await reports.ToListAsync(cancellationToken), cancellationToken);
        return Open311Document.Answer(format, "service_requests", new Open311List("request", list));
    }

    internal static async Task<IResult> Request(string id, string format, CitizenDb db, CancellationToken cancellationToken)
    {
        var code = Report.NormalizeCode(id);
        var report = await db.Reports.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(r => r.Code == code, cancellationToken);
        return report is null
            ? Open311Document.Error(format, StatusCodes.Status404NotFound, $"service_request_id '{PlainText.Shorten(id, 20)}' not found")
            : Open311Document.Answer(format, "service_requests", new Open311List("request", await DescribeAsync(db, [report], cancellationToken)));
    }

    internal static async Task<IResult> Token(string token, string format, CitizenDb db, CancellationToken cancellationToken)
    {
        var code = Guid.TryParseExact(token, "N", out var id)
            ? await db.Reports.IgnoreQueryFilters().Where(r => r.Id == id).Select(r => r.Code).SingleOrDefaultAsync(cancellationToken)
            : null;
        return code is null
            ? Open311Document.Error(format, StatusCodes.Status404NotFound, $"token '{PlainText.Shorten(token, 40)}' not found")
            : Open311Document.Answer(format, "service_requests", new Open311List("request", [Open311Object.Of(("service_request_id", code), ("token", token))]));
    }

    internal static async Task<IResult> Updates(string format, HttpContext http, CitizenDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        string? Param(string name) => Parameter(http.Request.Query, name);
        var errors = new List<string>();
        var (start, end, page, pageSize) = Window(Param, time, errors);
        if (errors.Count > 0)
        {
            return Open311Document.Error(format, StatusCodes.Status400BadRequest, [.. errors]);
        }

        // Changes after submission, of reports that reached a unit (their later rejection included).
        var rows = await db.ReportEvents.AsNoTracking()
            .Where(e => e.At >= start && e.At <= end && e.Status != ReportStatus.Received)
            .Join(db.Reports.IgnoreQueryFilters().Where(r => r.RoutedAt != null), e => e.ReportId, r => r.Id,
                (e, r) => new { e.Id, e.At, e.Status, e.PublicNote, r.Code, r.PublicResult })
            .OrderBy(x => x.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        var updates = rows.Select(u => (Open311Node)Open311Object.Of(
            ("update_id", u.Id.ToString(CultureInfo.InvariantCulture)),
            ("service_request_id", u.Code),
            ("status", OpenOrClosed(u.Status)),
            ("external_status_code", ReportViews.StatusCode(u.Status)),
            ("updated_datetime", u.At),
            ("description", u.Status == ReportStatus.Resolved ? u.PublicResult ?? "" : u.PublicNote ?? ""),
            ("media_url", ""))).ToList();
        return Open311Document.Answer(format, "service_request_updates", new Open311List("request_update", updates));
    }

    /// <summary>The start/end window (90 days by default) and the page, from the query.</summary>
    private static (DateTimeOffset Start, DateTimeOffset End, int Page, int PageSize) Window(Func<string, string?> param, TimeProvider time, List<string> errors)
    {
        DateTimeOffset? Date(string name)
        {
            if (param(name) is not { } text)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return parsed;
            }

            errors.Add($"{name} '{PlainText.Shorten(text, 40)}' is not a W3C date-time (e.g. 2021-08-20T08:00:00+07:00)");
            return null;
        }

        int Number(string name, int fallback, int max)
        {
            if (param(name) is not { } text)
            {
                return fallback;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max)
            {
                return value;
            }

            errors.Add($"{name} must be a whole number from 1 to {max}");
            return fallback;
        }

        // Either bound alone spans the default window from it; neither is the 90 days up to now.
        var (from, to) = (Date("start_date"), Date("end_date"));
        // The default window is clamped at the calendar's ends (start_date=9999-12-31 or end_date=0001-01-01 are valid).
        var end = to ?? (from is { } f ? (DateTimeOffset.MaxValue - f < DefaultWindow ? DateTimeOffset.MaxValue : f + DefaultWindow) : time.GetUtcNow());
        var start = from ?? (end - DateTimeOffset.MinValue < DefaultWindow ? DateTimeOffset.MinValue : end - DefaultWindow);
        if (start > end)
        {
            errors.Add("start_date must not be after end_date");
        }

        return (start, end, Number("page", 1, 100_000), Number("page_size", MaxPageSize, MaxPageSize));
    }

    private static async Task<List<Open311Node>> DescribeAsync(CitizenDb db, List<Report> reports, CancellationToken cancellationToken)
    {
        var ids = reports.Select(r => r.Id).ToList();
        var lastChange = (await db.ReportEvents.AsNoTracking().Where(e => ids.Contains(e.ReportId)).Select(e => new { e.ReportId, e.At }).ToListAsync(cancellationToken))
            .GroupBy(e => e.ReportId).ToDictionary(g => g.Key, g => g.Max(e => e.At));
        var unitCodes = reports.Select(r => r.UnitCode).Distinct().ToList();
        var units = await db.Units.IgnoreQueryFilters().AsNoTracking().Where(u => unitCodes.Contains(u.Code)).ToDictionaryAsync(u => u.Code, u => u.Name, cancellationToken);
        var categoryCodes = reports.Select(r => r.CategoryCode).Distinct().ToList();
        var english = ReportViews.English;
        var names = await db.Categories.AsNoTracking().Where(c => categoryCodes.Contains(c.Code)).ToDictionaryAsync(c => c.Code, c => c.Name(english), cancellationToken);
        return [.. reports.Select(r => (Open311Node)Open311Object.Of(
            ("service_request_id", r.Code),
            ("status", OpenOrClosed(r.Status)),
            ("status_notes", r.Status == ReportStatus.Resolved ? r.PublicResult : null),
            ("service_name", r.CategoryCode is not null ? names.GetValueOrDefault(r.CategoryCode, r.CategoryCode) : null),
            ("service_code", r.CategoryCode ?? Open311Services.General),
            // The resident's words can carry personal details; like the public list, Open311 shows the outcome only.
            ("description", null),
            ("agency_responsible", r.UnitCode is not null ? units.GetValueOrDefault(r.UnitCode) : null),
            ("service_notice", null),
            ("requested_datetime", r.SubmittedAt),
            ("updated_datetime", lastChange.GetValueOrDefault(r.Id, r.SubmittedAt)),
            ("expected_datetime", r.DueAt),
            ("address", null),
            ("address_id", null),
            ("zipcode", null),
            // Published on the public map's ~50 m grid.
            ("lat", PublicReportsApi.Round(r.Latitude)),
            ("long", PublicReportsApi.Round(r.Longitude)),
            ("media_url", null)))];
    }

    /// <summary>A parameter's trimmed value; an empty parameter is the same as an absent one.</summary>
    private static string? Parameter(IEnumerable<KeyValuePair<string, StringValues>> values, string name) =>
        values.FirstOrDefault(v => v.Key == name).Value.ToString().Trim() is { Length: > 0 } text ? text : null;

    private static string OpenOrClosed(ReportStatus status) => status is ReportStatus.Resolved or ReportStatus.Rejected ? "closed" : "open";

    private static string Open311Field(string field) => field switch
    {
        "lng" => "long",
        "address" => "address_string",
        "category" => "service_code",
        "reporter.name" => "first_name",
        "reporter.phone" => "phone",
        "reporter.email" => "email",
        _ => field,
    };

    /// <summary>Internal field names in a message, as Open311 names them.</summary>
    private static string Open311Wording(string message) => message
        .Replace("'lng'", "'long'", StringComparison.Ordinal)
        .Replace("'address'", "'address_string'", StringComparison.Ordinal)
        .Replace("'category'", "'service_code'", StringComparison.Ordinal);

    private static IResult UnknownFormat(HttpContext http, string format) =>
        Open311Document.Error(Open311Document.FormatOf(http), StatusCodes.Status404NotFound, $"Format '{PlainText.Shorten(format, 10)}' is not offered: use .xml or .json.");
}
