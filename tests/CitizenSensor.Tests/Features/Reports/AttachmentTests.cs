using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using CitizenSensor.Features.Staff;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>
/// Photos and videos with a report (multipart/form-data). The stored photos are read back with exiftool, an
/// independent reader, to prove the location is gone and the image is intact.
/// </summary>
public sealed class AttachmentTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private const string Exiftool = "/usr/bin/exiftool";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("photo.jpg", "image/jpeg")]
    [InlineData("photo.png", "image/png")]
    [InlineData("photo.webp", "image/webp")]
    [InlineData("photo.heic", "image/heic")]
    public async Task A_photos_location_is_removed_before_anyone_sees_it(string asset, string contentType)
    {
        var original = await File.ReadAllBytesAsync(Asset(asset), Cancel);
        Assert.Contains("10 deg 46", await ExifAsync(original, "-GPSPosition"), StringComparison.Ordinal); // the test photo has a location

        var code = await SubmitAsync(Form(("files", asset, original)));
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "760");
        var detail = await (await officer.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var attachment = Assert.Single(detail.GetProperty("attachments").EnumerateArray());
        Assert.Equal(contentType, attachment.Str("contentType"));
        Assert.True(attachment.GetProperty("metadataRemoved").GetBoolean());

        var stored = await officer.GetByteArrayAsync(attachment.Str("url"), Cancel);

        Assert.Equal("", (await ExifAsync(stored, "-GPSPosition", "-GPSLatitude")).Trim());
        Assert.Equal("64x48", (await ExifAsync(stored, "-ImageSize")).Trim());
        if (asset == "photo.jpg")
        {
            Assert.Equal("Rotate 90 CW", (await ExifAsync(stored, "-Orientation")).Trim()); // still shows upright
            Assert.Equal("", (await ExifAsync(stored, "-Make")).Trim());
        }
    }

    [Fact]
    public async Task A_video_is_accepted_by_its_content()
    {
        var video = Mp4Header();
        var code = await SubmitAsync(Form(("files", "clip.bin", video)));
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "760");

        var detail = await (await officer.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        var attachment = Assert.Single(detail.GetProperty("attachments").EnumerateArray());
        Assert.Equal("video/mp4", attachment.Str("contentType"));
        Assert.Equal(video, await officer.GetByteArrayAsync(attachment.Str("url"), Cancel));
    }

    [Fact]
    public async Task A_program_renamed_to_jpg_is_refused_and_nothing_is_kept()
    {
        var blobsBefore = Directory.GetFiles(app.BlobFolder, "*", SearchOption.AllDirectories).Length;
        var program = "MZ\u0090\0\u0003\0\0\0This program cannot be run in DOS mode"u8.ToArray();
        var photo = await File.ReadAllBytesAsync(Asset("photo.jpg"), Cancel);

        var response = await app.CreateClient().PostAsync("/api/v1/reports", Form(("files", "photo.jpg", photo), ("files", "anh-vi-pham.jpg", program)), Cancel);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        var message = problem.GetProperty("errors").GetProperty("files[1]")[0].GetString();
        Assert.Contains("anh-vi-pham.jpg", message, StringComparison.Ordinal);
        Assert.Contains("Windows program", message, StringComparison.Ordinal);
        Assert.Equal(blobsBefore, Directory.GetFiles(app.BlobFolder, "*", SearchOption.AllDirectories).Length); // the good photo was not kept either
    }

    [Fact]
    public async Task More_files_than_allowed_are_refused()
    {
        var photo = await File.ReadAllBytesAsync(Asset("photo.png"), Cancel);

        var response = await app.CreateClient().PostAsync("/api/v1/reports", Form([.. Enumerable.Range(0, 6).Select(i => ("files", $"p{i}.png", photo))]), Cancel);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("At most 5 files", problem.GetProperty("errors").GetProperty("files")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_photo_over_the_size_limit_is_refused_naming_the_limit()
    {
        var big = new byte[11 * 1024 * 1024];
        (await File.ReadAllBytesAsync(Asset("photo.jpg"), Cancel)).CopyTo(big, 0);

        var response = await app.CreateClient().PostAsync("/api/v1/reports", Form(("files", "big.jpg", big)), Cancel);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("at most 10 MB", problem.GetProperty("errors").GetProperty("files[0]")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Form_fields_are_checked_like_json()
    {
        var content = Form();
        content.Add(new StringContent("mười"), "lat");

        var response = await app.CreateClient().PostAsync("/api/v1/reports", content, Cancel);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("lat", out _));
    }

    private async Task<string> SubmitAsync(MultipartFormDataContent content)
    {
        var client = app.CreateClient();
        var response = await client.PostAsync("/api/v1/reports", content, Cancel);
        var code = (await response.ReadJsonAsync(HttpStatusCode.Created)).Str("code");
        Assert.Equal("routed", (await client.WaitProcessedAsync(code)).Str("status")); // officers see it once it is routed to them
        return code;
    }

    private static MultipartFormDataContent Form(params (string Field, string Name, byte[] Bytes)[] files)
    {
        var content = new MultipartFormDataContent
        {
            { new StringContent("Quán cà phê vẫn cho khách ngồi tại chỗ, ảnh chụp lúc 9h sáng"), "description" },
            { new StringContent("phường Bến Nghé, quận 1"), "address" },
        };
        foreach (var (field, name, bytes) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg"); // what clients claim does not matter
            content.Add(file, field, name);
        }

        return content;
    }

    private static string Asset(string name) => Path.Combine(AppContext.BaseDirectory, "Assets", name);

    /// <summary>A minimal MP4: an 'ftyp' box of brand isom and an empty 'mdat'.</summary>
    private static byte[] Mp4Header() =>
        [0, 0, 0, 24, .. "ftypisom"u8, 0, 0, 2, 0, .. "isomiso2"u8, 0, 0, 0, 8, .. "mdat"u8];

    internal static async Task<string> ExifAsync(byte[] image, params string[] tags)
    {
        if (!File.Exists(Exiftool))
        {
            Assert.Skip("exiftool is not installed (Debian package libimage-exiftool-perl; ./test.sh installs it).");
        }

        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, image, Cancel);
            var start = new ProcessStartInfo(Exiftool) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var tag in tags)
            {
                start.ArgumentList.Add(tag);
            }

            start.ArgumentList.Add("-s3");
            start.ArgumentList.Add(file);
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync(Cancel);
            await process.WaitForExitAsync(Cancel);
            return output;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
