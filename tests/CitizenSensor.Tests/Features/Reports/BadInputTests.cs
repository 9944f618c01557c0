using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Declarations;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Venues;
using CitizenSensor.Tests.Features.Channels;
using CitizenSensor.Tests.Features.Declarations;
using CitizenSensor.Tests.Features.Venues;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>
/// Input that used to end in a 500 or be stored though wrong (issue 14): each gets a clear 4xx and nothing is kept.
/// Photos that carry a second image keep only the primary one.
/// </summary>
public sealed class BadInputTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private const string Description = "Quán nhậu mở nhạc rất to cả đêm ở hẻm 12";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_multipart_report_with_none_of_the_fields_is_a_400_naming_what_is_missing()
    {
        var before = await CountAsync<CitizenSensor.Features.Reports.Report>();
        using var content = new MultipartFormDataContent { { new StringContent("1"), "x" } };

        var response = await app.CreateClient().PostAsync("/api/v1/reports", content, Cancel);

        var errors = (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("description", out _), errors.GetRawText());
        Assert.Equal(before, await CountAsync<CitizenSensor.Features.Reports.Report>());
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("yes please")]
    [InlineData("2")]
    public async Task A_multipart_anonymous_that_is_not_a_boolean_is_refused_and_no_contact_is_stored(string value)
    {
        var before = await CountAsync<CitizenSensor.Features.Reports.Report>();
        using var content = new MultipartFormDataContent
        {
            { new StringContent(Description), "description" },
            { new StringContent("phường Bến Nghé, quận 1"), "address" },
            { new StringContent("0909123456"), "reporterPhone" },
            { new StringContent(value), "anonymous" },
        };

        var response = await app.CreateClient().PostAsync("/api/v1/reports", content, Cancel);

        var messages = (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("anonymous");
        Assert.Contains("true or false", messages[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync<CitizenSensor.Features.Reports.Report>());
    }

    [Fact]
    public async Task A_form_value_with_an_encoded_nul_is_a_400_and_nothing_is_stored()
    {
        var key = await app.IssueKeyAsync();
        var before = await CountAsync<CitizenSensor.Features.Reports.Report>();
        using var form = new StringContent($"api_key={key}&service_code=general&address_string=Q1&description=Qu%C3%A1n+nh%E1%BA%ADu%00+m%E1%BB%9F+nh%E1%BA%A1c+r%E1%BA%A5t+to",
            System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");

        var response = await app.CreateClient().PostAsync("/open311/v2/requests.xml", form, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode); // the framework's form reader refuses %00 before any code sees it
        Assert.Equal(before, await CountAsync<CitizenSensor.Features.Reports.Report>());
    }

    [Theory]
    [InlineData("Quán nhậu \u001b[31m mở nhạc rất to")]
    [InlineData("Quán nhậu \u0007\u0008 mở nhạc rất to")]
    [InlineData("\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b")]
    public async Task An_open311_description_with_control_or_only_invisible_characters_is_an_open311_400(string description)
    {
        var key = await app.IssueKeyAsync();
        var before = await CountAsync<CitizenSensor.Features.Reports.Report>();

        var response = await app.CreateClient().PostRequestAsync("xml", new Dictionary<string, string>
        {
            ["api_key"] = key,
            ["service_code"] = "general",
            ["description"] = description,
            ["address_string"] = "phường Bến Nghé, quận 1",
        });

        var errors = await response.ReadXmlErrorsAsync(HttpStatusCode.BadRequest);
        Assert.Contains(errors, e => e.Contains("description", StringComparison.Ordinal));
        Assert.Equal(before, await CountAsync<CitizenSensor.Features.Reports.Report>());
    }

    [Theory]
    [InlineData("requests", "start_date=9999-12-31T23:59:59Z")]
    [InlineData("requests", "end_date=0001-01-01T00:00:00Z")]
    [InlineData("servicerequestupdates", "start_date=9999-12-31T23:59:59Z")]
    [InlineData("servicerequestupdates", "end_date=0001-01-01T00:00:00Z")]
    public async Task Open311_dates_at_the_ends_of_the_calendar_are_an_empty_list_not_a_500(string list, string query)
    {
        var key = await app.IssueKeyAsync();

        var response = await app.CreateClient().GetAsync($"/open311/v2/{list}.json?api_key={key}&{query}", Cancel);

        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, body.GetArrayLength());
    }

    [Theory]
    [InlineData("Trần\0 Thị Bình")]
    [InlineData("Trần\nThị Bình")]
    [InlineData("\u200b\u200c\u200d")]
    public async Task A_check_in_name_with_control_or_only_invisible_characters_is_refused(string name)
    {
        var venue = await app.CreateClient().RegisterAsync();
        var before = await CountAsync<CheckIn>();

        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/checkins", new { venueCode = venue.Str("code"), phone = VenueClient.NewPhone(), name }, Cancel);

        var errors = (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _), errors.GetRawText());
        Assert.Equal(before, await CountAsync<CheckIn>());
    }

    [Theory]
    [InlineData("fullName", "Nguyễn\0 Thị Hoa", "control")]
    [InlineData("address", "12 Phúc Xá\u0007", "control")]
    [InlineData("chronicConditions", "\u200b\u200b\u200b\u200b", "visible")]
    public async Task A_declaration_text_with_control_or_only_invisible_characters_is_refused(string field, string value, string mention)
    {
        var before = await CountAsync<Declaration>();
        var body = DeclarationClient.Valid();
        body[field] = value;

        var response = await app.CreateClient().DeclareAsync(body, language: "en");

        var messages = (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty(field);
        Assert.Contains(mention, messages[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync<Declaration>());
    }

    [Theory]
    [InlineData("name", "Quán phở\0 Bình")]
    [InlineData("address", "\u200b\u200b\u200b")]
    public async Task A_venue_registration_with_control_or_only_invisible_characters_is_refused(string field, string value)
    {
        var before = await CountAsync<Venue>();
        var venue = new Dictionary<string, object?>
        {
            ["name"] = "Quán phở Bình",
            ["kind"] = "restaurant",
            ["address"] = "12 Phúc Xá, Ba Đình",
            ["wardCode"] = VenueClient.Ward,
            ["ownerName"] = "Nguyễn Văn An",
            ["ownerPhone"] = VenueClient.NewPhone(),
        };
        venue[field] = value;

        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/venues", venue, Cancel);

        var errors = (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.GetRawText());
        Assert.Equal(before, await CountAsync<Venue>());
    }

    [Fact]
    public async Task A_photo_with_a_second_image_appended_keeps_only_the_primary_image()
    {
        var photo = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Assets", "photo.jpg"), Cancel);
        Assert.Contains("TestCam", await AttachmentTests.ExifAsync(photo, "-Make"), StringComparison.Ordinal); // the second image's camera and place
        byte[] multiPicture = [.. WithMpfIndex(photo), .. photo];

        using var content = new MultipartFormDataContent
        {
            { new StringContent("Quán cà phê vẫn cho khách ngồi tại chỗ, ảnh chụp lúc 9h sáng"), "description" },
            { new StringContent("phường Bến Nghé, quận 1"), "address" },
        };
        var file = new ByteArrayContent(multiPicture);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        content.Add(file, "files", "burst.jpg");
        var client = app.CreateClient();
        var code = (await (await client.PostAsync("/api/v1/reports", content, Cancel)).ReadJsonAsync(HttpStatusCode.Created)).Str("code");
        await client.WaitProcessedAsync(code);

        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "760");
        var detail = await (await officer.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var stored = await officer.GetByteArrayAsync(Assert.Single(detail.GetProperty("attachments").EnumerateArray()).Str("url"), Cancel);

        Assert.Equal(1, Count(stored, [0xFF, 0xD8])); // one start of image: the second is gone
        Assert.Equal([0xFF, 0xD9], stored[^2..]);
        Assert.Equal(-1, stored.AsSpan().IndexOf("TestCam"u8));
        Assert.Equal(-1, stored.AsSpan().IndexOf("MPF\0"u8));
        Assert.Equal("", (await AttachmentTests.ExifAsync(stored, "-GPSPosition", "-Make", "-Model")).Trim());
        Assert.Equal("64x48", (await AttachmentTests.ExifAsync(stored, "-ImageSize")).Trim());
    }

    /// <summary>The photo with an APP2 "MPF" segment after its SOI, as multi-picture cameras write the index of their images.</summary>
    private static byte[] WithMpfIndex(byte[] jpeg)
    {
        byte[] index = [.. "MPF\0"u8, .. "MM\0*\0\0\0\b"u8, 0, 0];
        byte[] segment = [0xFF, 0xE2, 0, (byte)(index.Length + 2), .. index];
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    private static int Count(byte[] data, byte[] pattern)
    {
        var count = 0;
        var span = data.AsSpan();
        for (var at = span.IndexOf(pattern); at >= 0; at = span.IndexOf(pattern))
        {
            count++;
            span = span[(at + pattern.Length)..];
        }

        return count;
    }

    private async Task<int> CountAsync<T>()
        where T : class
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CitizenDb>().Set<T>().IgnoreQueryFilters().CountAsync(Cancel);
    }
}
