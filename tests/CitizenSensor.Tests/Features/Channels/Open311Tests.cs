using System.Net;
using System.Net.Http.Json;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Reports;
using Microsoft.AspNetCore.Hosting;

namespace CitizenSensor.Tests.Features.Channels;

/// <summary>The Open311 GeoReport v2 server, as a client such as FixMyStreet's uses it: XML first, JSON too.</summary>
public sealed class Open311Tests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Discovery_names_the_endpoint_and_both_formats()
    {
        var xml = await (await app.CreateClient().GetAsync("/open311/v2/discovery.xml", Cancel)).ReadXmlAsync(HttpStatusCode.OK);
        var json = await (await app.CreateClient().GetAsync("/open311/v2/discovery.json", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("discovery", xml.Name.LocalName);
        var endpoint = xml.Element("endpoints")!.Element("endpoint")!;
        Assert.Equal("http://wiki.open311.org/GeoReport_v2", endpoint.Element("specification")!.Value);
        Assert.EndsWith("/open311/v2", endpoint.Element("url")!.Value, StringComparison.Ordinal);
        Assert.Equal(["text/xml", "application/json"], endpoint.Element("formats")!.Elements("format").Select(f => f.Value));
        Assert.Equal("production", json.GetProperty("endpoints")[0].Str("type"));
    }

    [Fact]
    public async Task Services_are_the_categories_plus_general_and_definitions_list_their_attributes()
    {
        var services = await (await app.CreateClient().GetAsync("/open311/v2/services.xml", Cancel)).ReadXmlAsync(HttpStatusCode.OK);
        var codes = services.Elements("service").Select(s => s.Element("service_code")!.Value).ToList();
        Assert.Equal(["business", "crowding", "public-order", "suspected-case", "suggestion", "question", "other", "general"], codes);
        var business = services.Elements("service").Single(s => s.Element("service_code")!.Value == "business");
        Assert.Equal("true", business.Element("metadata")!.Value);
        Assert.Equal("realtime", business.Element("type")!.Value);
        Assert.Equal("Cơ sở kinh doanh vi phạm", business.Element("service_name")!.Value);

        var json = await (await app.CreateClient().GetAsync("/open311/v2/services.json", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(8, json.GetArrayLength());

        var definition = await (await app.CreateClient().GetAsync("/open311/v2/services/business.xml", Cancel)).ReadXmlAsync(HttpStatusCode.OK);
        var attribute = definition.Element("attributes")!.Element("attribute")!;
        Assert.Equal("business_name", attribute.Element("code")!.Value);
        Assert.Equal("string", attribute.Element("datatype")!.Value);
        Assert.Equal("false", attribute.Element("required")!.Value);

        var unknown = await app.CreateClient().GetAsync("/open311/v2/services/ufo.xml", Cancel);
        Assert.Contains("ufo", (await unknown.ReadXmlErrorsAsync(HttpStatusCode.NotFound))[0], StringComparison.Ordinal);
        var badFormat = await app.CreateClient().GetAsync("/open311/v2/services.csv", Cancel);
        Assert.Contains("csv", (await badFormat.ReadXmlErrorsAsync(HttpStatusCode.NotFound))[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_general_request_is_classified_routed_and_its_result_comes_back_through_requests_and_updates()
    {
        var key = await app.IssueKeyAsync();
        var client = app.CreateClient();
        var posted = await (await client.PostRequestAsync("xml", new Dictionary<string, string>
        {
            ["api_key"] = key,
            ["service_code"] = "general",
            ["lat"] = "10.7798",
            ["long"] = "106.6990",
            ["address_string"] = "Đường Lê Thánh Tôn, phường Bến Nghé, quận 1",
            ["description"] = "Quán cà phê vẫn cho khách ngồi uống tại chỗ, không ai đeo khẩu trang",
            ["email"] = "dan@example.org",
            ["first_name"] = "Nguyễn",
            ["last_name"] = "Dân",
            ["device_id"] = "abc-123",
        })).ReadXmlAsync(HttpStatusCode.Created);
        var request = posted.Element("request")!;
        var code = request.Element("service_request_id")!.Value;
        Assert.Null(request.Element("token")); // stored at once: the id, not a token as well
        await client.WaitProcessedAsync(code);

        var fetched = (await (await client.GetAsync($"/open311/v2/requests/{code}.xml", Cancel)).ReadXmlAsync(HttpStatusCode.OK)).Element("request")!;
        Assert.Equal("business", fetched.Element("service_code")!.Value);
        Assert.Equal("open", fetched.Element("status")!.Value);
        Assert.Equal("Quận 1", fetched.Element("agency_responsible")!.Value);
        Assert.EndsWith("+07:00", fetched.Element("requested_datetime")!.Value, StringComparison.Ordinal);
        Assert.EndsWith("+07:00", fetched.Element("expected_datetime")!.Value, StringComparison.Ordinal);
        Assert.Equal("", fetched.Element("description")!.Value); // the resident's words stay private
        Assert.DoesNotContain("dan@example.org", fetched.ToString(), StringComparison.Ordinal);

        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "760");
        await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/resolve", new { result = "Đã kiểm tra, chủ quán cam kết chỉ bán mang về." }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        var closed = await (await client.GetAsync($"/open311/v2/requests.json?status=closed&service_code=business", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var mine = closed.EnumerateArray().Single(r => r.Str("service_request_id") == code);
        Assert.Equal("Đã kiểm tra, chủ quán cam kết chỉ bán mang về.", mine.Str("status_notes"));
        var open = await (await client.GetAsync($"/open311/v2/requests.json?status=open", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(open.EnumerateArray(), r => r.Str("service_request_id") == code);

        var updates = await (await client.GetAsync("/open311/v2/servicerequestupdates.xml", Cancel)).ReadXmlAsync(HttpStatusCode.OK);
        var last = updates.Elements("request_update").Last(u => u.Element("service_request_id")!.Value == code);
        Assert.Equal("closed", last.Element("status")!.Value);
        Assert.Equal("resolved", last.Element("external_status_code")!.Value);
        Assert.Equal("Đã kiểm tra, chủ quán cam kết chỉ bán mang về.", last.Element("description")!.Value);
        Assert.NotEmpty(last.Element("update_id")!.Value);
    }

    [Fact]
    public async Task The_api_key_is_required_and_checked_and_a_revoked_key_stops_working()
    {
        var client = app.CreateClient();
        var fields = new Dictionary<string, string> { ["service_code"] = "crowding", ["address_string"] = "quận 1", ["description"] = "Chợ tự phát đông người chen chúc" };

        Assert.Contains("api_key", (await (await client.PostRequestAsync("xml", fields)).ReadXmlErrorsAsync(HttpStatusCode.Forbidden))[0], StringComparison.Ordinal);
        fields["api_key"] = "o311_not-a-real-key";
        Assert.Contains("api_key", (await (await client.PostRequestAsync("json", fields)).ReadJsonErrorsAsync(HttpStatusCode.Forbidden))[0], StringComparison.Ordinal);

        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var issued = await (await admin.PostAsJsonAsync("/api/v1/open311/keys", new { name = "Đối tác sẽ bị thu hồi" }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        fields["api_key"] = issued.Str("key");
        Assert.Equal(HttpStatusCode.Created, (await client.PostRequestAsync("xml", fields)).StatusCode);

        var listed = await (await admin.GetAsync("/api/v1/open311/keys", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(issued.Str("key"), listed.GetRawText(), StringComparison.Ordinal);
        Assert.Contains(listed.EnumerateArray(), c => c.Str("name") == "Đối tác sẽ bị thu hồi" && issued.Str("key").StartsWith(c.Str("keyHint"), StringComparison.Ordinal));

        await (await admin.DeleteAsync($"/api/v1/open311/keys/{issued.GetProperty("id").GetInt32()}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        await (await client.PostRequestAsync("xml", fields)).ReadXmlErrorsAsync(HttpStatusCode.Forbidden);
        var audit = await (await admin.GetAsync("/api/v1/staff/audit?entityType=open311-client", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(audit.EnumerateArray(), a => a.Str("action") == "open311-key.issue" && a.Str("entityId") == "Đối tác sẽ bị thu hồi");
        Assert.Contains(audit.EnumerateArray(), a => a.Str("action") == "open311-key.revoke" && a.Str("entityId") == issued.GetProperty("id").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The name's length is counted without the spaces around it, as on the page and the command line.
        var blank = await (await admin.PostAsJsonAsync("/api/v1/open311/keys", new { name = "   x    " }, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(blank.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Theory]
    [InlineData(StaffRoles.CityTriage)]
    [InlineData(StaffRoles.UnitOfficer)]
    public async Task Only_admin_issues_keys(string role)
    {
        var (staff, _) = await app.SignedInAsync(role, role == StaffRoles.CityTriage ? "79" : "760");

        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PostAsJsonAsync("/api/v1/open311/keys", new { name = "Không được" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/api/v1/open311/keys", new { name = "Không được" }, Cancel)).StatusCode);
    }

    public static TheoryData<string, string, string> BadPosts => new()
    {
        { "service_code", "", "service_code is required" },
        { "lat", "91", "lat" },
        { "long", "east", "long" },
        { "description", "ngắn", "description" },
        { "address_string", "", "location" },
        { "attribute[people_count]", "nhiều lắm", "attribute[people_count]" },
        { "email", "not-an-email", "email" },
    };

    [Theory]
    [MemberData(nameof(BadPosts))]
    public async Task Bad_requests_are_400_open311_errors_naming_the_field_and_nothing_is_stored(string field, string value, string mention)
    {
        var key = await app.IssueKeyAsync();
        var fields = new Dictionary<string, string>
        {
            ["api_key"] = key,
            ["service_code"] = "crowding",
            ["address_string"] = "phường Bến Nghé, quận 1",
            ["description"] = "Công viên rất đông người tập thể dục, không đeo khẩu trang",
        };
        fields[field] = value;
        var before = (await (await app.CreateClient().GetAsync("/open311/v2/requests.json", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetArrayLength();

        var xmlErrors = await (await app.CreateClient().PostRequestAsync("xml", fields)).ReadXmlErrorsAsync(HttpStatusCode.BadRequest);
        var jsonErrors = await (await app.CreateClient().PostRequestAsync("json", fields)).ReadJsonErrorsAsync(HttpStatusCode.BadRequest);

        Assert.Contains(xmlErrors, e => e.Contains(mention, StringComparison.Ordinal));
        Assert.Equal(xmlErrors, jsonErrors);
        Assert.Equal(before, (await (await app.CreateClient().GetAsync("/open311/v2/requests.json", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetArrayLength());
    }

    [Fact]
    public async Task A_post_that_is_not_form_encoded_is_a_415()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/open311/v2/requests.xml", new { service_code = "general" }, Cancel);

        Assert.Contains("form-encoded", (await response.ReadXmlErrorsAsync(HttpStatusCode.UnsupportedMediaType))[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attributes_are_kept_with_the_report()
    {
        var key = await app.IssueKeyAsync();
        var posted = await (await app.CreateClient().PostRequestAsync("json", new Dictionary<string, string>
        {
            ["api_key"] = key,
            ["service_code"] = "business",
            ["address_string"] = "phường Bến Nghé, quận 1",
            ["description"] = "Tiệm tóc vẫn mở cửa cắt tóc cho khách trong giờ giãn cách",
            ["attribute[business_name]"] = "Tiệm tóc Hoa Hồng",
        })).ReadJsonAsync(HttpStatusCode.Created);
        var code = posted[0].Str("service_request_id");
        await app.CreateClient().WaitProcessedAsync(code);
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "760");

        var detail = await (await officer.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Contains("Tiệm tóc Hoa Hồng", detail.Str("description"), StringComparison.Ordinal);
        Assert.Equal("open311", detail.Str("channel"));
    }

    [Fact]
    public async Task Requests_filter_by_date_page_and_id_and_an_empty_parameter_equals_an_absent_one()
    {
        var key = await app.IssueKeyAsync();
        var codes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var posted = await (await app.CreateClient().PostRequestAsync("json", new Dictionary<string, string>
            {
                ["api_key"] = key,
                ["service_code"] = "public-order",
                ["address_string"] = "phường Bến Nghé, quận 1",
                ["description"] = $"Nhóm thanh niên tụ tập nhậu nhẹt, hát karaoke ồn ào lần {i + 1}",
            })).ReadJsonAsync(HttpStatusCode.Created);
            codes.Add(posted[0].Str("service_request_id"));
            await app.CreateClient().WaitProcessedAsync(codes[^1]);
        }

        var client = app.CreateClient();
        var all = await (await client.GetAsync("/open311/v2/requests.json?service_code=public-order", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var empty = await (await client.GetAsync("/open311/v2/requests.json?service_code=public-order&status=&start_date=&end_date=&page=", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(all.GetRawText(), empty.GetRawText());
        Assert.Superset(codes.ToHashSet(), all.EnumerateArray().Select(r => r.Str("service_request_id")).ToHashSet());

        var page = await (await client.GetAsync("/open311/v2/requests.json?service_code=public-order&page_size=2&page=1", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, page.GetArrayLength());

        var byId = await (await client.GetAsync($"/open311/v2/requests.xml?service_request_id={codes[0]},{codes[2]}&service_code=other", Cancel)).ReadXmlAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { codes[0], codes[2] }.Order(), byId.Elements("request").Select(r => r.Element("service_request_id")!.Value).Order());

        var now = app.Time.GetUtcNow();
        var future = Uri.EscapeDataString(now.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
        var later = await (await client.GetAsync($"/open311/v2/requests.json?start_date={future}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, later.GetArrayLength());
        var longAgo = Uri.EscapeDataString(now.AddDays(-100).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
        var old = await (await client.GetAsync($"/open311/v2/requests.json?end_date={longAgo}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, old.GetArrayLength());

        Assert.Contains("start_date", (await (await client.GetAsync("/open311/v2/requests.xml?start_date=yesterday", Cancel)).ReadXmlErrorsAsync(HttpStatusCode.BadRequest))[0], StringComparison.Ordinal);
        Assert.Contains("status", (await (await client.GetAsync("/open311/v2/requests.json?status=done", Cancel)).ReadJsonErrorsAsync(HttpStatusCode.BadRequest))[0], StringComparison.Ordinal);
        Assert.Contains("page_size", (await (await client.GetAsync("/open311/v2/requests.json?page_size=5000", Cancel)).ReadJsonErrorsAsync(HttpStatusCode.BadRequest))[0], StringComparison.Ordinal);
        await (await client.GetAsync("/open311/v2/requests/ZZZZZZZZZZ.xml", Cancel)).ReadXmlErrorsAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/open311/v2/tokens/nope.json", Cancel)).ReadJsonErrorsAsync(HttpStatusCode.NotFound);
    }
}

/// <summary>GeoReport v2 read literally, as clients nobody here wrote read it (issue 14).</summary>
public sealed class Open311SpecTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Fields(string key) => new()
    {
        ["api_key"] = key,
        ["service_code"] = "crowding",
        ["lat"] = "10.7798",
        ["long"] = "106.6990",
        ["description"] = "Công viên rất đông người tập thể dục, không đeo khẩu trang",
    };

    [Fact]
    public async Task A_client_joining_the_discovery_url_and_a_resource_with_a_slash_gets_the_resource()
    {
        var discovery = await (await app.CreateClient().GetAsync("/open311/v2/discovery.json", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var url = new Uri(discovery.GetProperty("endpoints")[0].Str("url"));
        Assert.False(url.AbsolutePath.EndsWith('/'), url.ToString());

        var joined = await app.CreateClient().GetAsync(url.AbsolutePath + "/services.xml", Cancel);
        Assert.Equal("services", (await joined.ReadXmlAsync(HttpStatusCode.OK)).Name.LocalName);
        var doubled = await app.CreateClient().GetAsync("/open311/v2//services.xml", Cancel);
        Assert.Equal("services", (await doubled.ReadXmlAsync(HttpStatusCode.OK)).Name.LocalName);
    }

    [Fact]
    public async Task Discovery_lists_one_jurisdiction_per_city()
    {
        var discovery = await (await app.CreateClient().GetAsync("/open311/v2/discovery.xml", Cancel)).ReadXmlAsync(HttpStatusCode.OK);
        var ids = discovery.Element("jurisdictions")!.Elements("jurisdiction").ToDictionary(j => j.Element("jurisdiction_id")!.Value, j => j.Element("unit_code")!.Value);

        Assert.Equal("79", ids["hochiminhcity.gov.vn"]);
        Assert.Equal("01", ids["hanoi.gov.vn"]);
    }

    [Theory]
    [InlineData("service_code", "ufo", "service_code 'ufo' not found")]
    [InlineData("jurisdiction_id", "atlantis.gov", "jurisdiction_id 'atlantis.gov' not found")]
    public async Task An_unknown_service_or_jurisdiction_is_a_404_and_nothing_is_stored(string field, string value, string message)
    {
        var fields = Fields(await app.IssueKeyAsync());
        fields[field] = value;

        Assert.Equal([message], await (await app.CreateClient().PostRequestAsync("xml", fields)).ReadXmlErrorsAsync(HttpStatusCode.NotFound));
        Assert.Equal([message], await (await app.CreateClient().PostRequestAsync("json", fields)).ReadJsonErrorsAsync(HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task A_point_outside_its_jurisdictions_city_is_refused_and_inside_it_is_accepted()
    {
        var fields = Fields(await app.IssueKeyAsync());
        fields["jurisdiction_id"] = "hanoi.gov.vn"; // the point is in Hồ Chí Minh City

        var errors = await (await app.CreateClient().PostRequestAsync("json", fields)).ReadJsonErrorsAsync(HttpStatusCode.BadRequest);
        Assert.Contains(errors, e => e.Contains("lat/long", StringComparison.Ordinal) && e.Contains("hanoi.gov.vn", StringComparison.Ordinal));

        fields["jurisdiction_id"] = "hochiminhcity.gov.vn";
        Assert.Equal(HttpStatusCode.Created, (await app.CreateClient().PostRequestAsync("json", fields)).StatusCode);
    }

    [Fact]
    public async Task Without_a_description_and_located_by_address_id_alone_a_request_is_kept_and_goes_to_triage()
    {
        var fields = Fields(await app.IssueKeyAsync());
        fields.Remove("description");
        fields.Remove("lat");
        fields.Remove("long");
        fields["address_id"] = "HCM-Q1-000123";

        var posted = await (await app.CreateClient().PostRequestAsync("json", fields)).ReadJsonAsync(HttpStatusCode.Created);
        var code = posted[0].Str("service_request_id");
        Assert.False(posted[0].TryGetProperty("token", out _));
        Assert.Equal("needs-triage", (await app.CreateClient().WaitProcessedAsync(code)).Str("status"));

        var (triage, _) = await app.SignedInAsync(StaffRoles.CityTriage, "79");
        var detail = await (await triage.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("address_id: HCM-Q1-000123", detail.Str("address"));
        Assert.Equal("", detail.Str("description"));
    }

    [Fact]
    public async Task A_description_alone_missing_with_a_point_still_goes_to_triage()
    {
        var fields = Fields(await app.IssueKeyAsync());
        fields.Remove("description");

        var posted = await (await app.CreateClient().PostRequestAsync("xml", fields)).ReadXmlAsync(HttpStatusCode.Created);
        var code = posted.Element("request")!.Element("service_request_id")!.Value;

        Assert.Equal("needs-triage", (await app.CreateClient().WaitProcessedAsync(code)).Str("status"));
    }

    [Fact]
    public async Task Errors_name_open311_fields()
    {
        var fields = Fields(await app.IssueKeyAsync());
        fields.Remove("long");
        var errors = await (await app.CreateClient().PostRequestAsync("json", fields)).ReadJsonErrorsAsync(HttpStatusCode.BadRequest);
        Assert.Contains(errors, e => e.Contains("'long'", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("lng", StringComparison.Ordinal));

        fields.Remove("lat");
        fields["address_string"] = new string('x', 600);
        errors = await (await app.CreateClient().PostRequestAsync("json", fields)).ReadJsonErrorsAsync(HttpStatusCode.BadRequest);
        Assert.Contains(errors, e => e.Contains("address_string", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("'address'", StringComparison.Ordinal));

        fields.Remove("address_string");
        errors = await (await app.CreateClient().PostRequestAsync("xml", fields)).ReadXmlErrorsAsync(HttpStatusCode.BadRequest);
        Assert.Contains(errors, e => e.Contains("address_id", StringComparison.Ordinal) && e.Contains("long", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/open311/v2/nothing-here.json", null, "json")]
    [InlineData("/open311/v2/nothing-here.xml", "application/json", "xml")]
    [InlineData("/open311/v2/nothing-here", "application/xml", "xml")]
    [InlineData("/open311/v2/nothing-here", "application/json", "json")]
    [InlineData("/open311/v2/services.csv", "application/json", "json")]
    public async Task A_404_under_open311_is_an_open311_error_in_the_extensions_format_or_else_the_accepted_one(string path, string? accept, string format)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        var response = await app.CreateClient().SendAsync(request, Cancel);

        Assert.Single(format == "json" ? await response.ReadJsonErrorsAsync(HttpStatusCode.NotFound) : await response.ReadXmlErrorsAsync(HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task A_wrong_method_is_an_open311_error()
    {
        var deleted = await app.CreateClient().DeleteAsync("/open311/v2/services.json", Cancel);

        Assert.Single(await deleted.ReadJsonErrorsAsync(HttpStatusCode.MethodNotAllowed));
    }
}

/// <summary>A body too large is refused only by a real server, so this runs against Kestrel.</summary>
public sealed class Open311BodyLimitTests(KestrelCitizenApp app) : IClassFixture<KestrelCitizenApp>
{
    [Fact]
    public async Task A_body_too_large_is_an_open311_error()
    {
        using var huge = new StringContent("description=" + new string('x', 2 * 1024 * 1024), System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");

        var tooLarge = await app.CreateClient().PostAsync("/open311/v2/requests.xml", huge, TestContext.Current.CancellationToken);

        Assert.Single(await tooLarge.ReadXmlErrorsAsync(HttpStatusCode.RequestEntityTooLarge));
    }
}

/// <summary>Each API key may file a limited number of requests a minute; beyond it, 429 with Retry-After.</summary>
public sealed class Open311RateLimitTests(Open311RateLimitTests.LimitedApp app) : IClassFixture<Open311RateLimitTests.LimitedApp>
{
    [Fact]
    public async Task Too_many_posts_with_one_key_are_429_with_retry_after_and_other_keys_are_unaffected()
    {
        var key = await app.IssueKeyAsync("Ứng dụng gửi nhiều");
        var other = await app.IssueKeyAsync("Ứng dụng khác");
        Dictionary<string, string> Fields(string k) => new()
        {
            ["api_key"] = k,
            ["service_code"] = "general",
            ["address_string"] = "phường Bến Nghé, quận 1",
            ["description"] = "Quán nhậu mở nhạc rất to cả đêm, hàng xóm không ngủ được",
        };

        Assert.Equal(HttpStatusCode.Created, (await app.CreateClient().PostRequestAsync("xml", Fields(key))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.CreateClient().PostRequestAsync("xml", Fields(key))).StatusCode);
        var limited = await app.CreateClient().PostRequestAsync("xml", Fields(key));

        await limited.ReadXmlErrorsAsync(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, limited.Headers.RetryAfter?.ToString());
        Assert.Equal(HttpStatusCode.Created, (await app.CreateClient().PostRequestAsync("xml", Fields(other))).StatusCode);
    }

    public sealed class LimitedApp : CitizenApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Open311:PostsPerMinute", "2");
        }
    }
}
