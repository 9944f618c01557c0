using System.Net;
using System.Net.Http.Json;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Channels;
using MimeKit;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>
/// A resident who files on the web form sees a confirmation only their browser sees, and, having given an e-mail, gets
/// the acknowledgement, each status change and the result by e-mail (through the SMTP relay into their Dovecot
/// mailbox); a reply to one of those mails becomes a note on the report.
/// </summary>
public sealed class ResidentMailTests(EmailTests.EmailApp app) : IClassFixture<EmailTests.EmailApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_filing_browser_sees_what_it_sent_and_others_see_only_the_public_view()
    {
        var browser = WebForm.Browser(app);
        var token = EmailTests.Token();
        var code = WebForm.CodeOf(await WebForm.FileAsync(browser, new Dictionary<string, string>
        {
            ["Description"] = $"Quán karaoke trên đường Pasteur vẫn mở cửa, hát rất to {token}",
            ["Address"] = "45 Pasteur, phường Bến Nghé, quận 1",
            ["Lat"] = "10.7798",
            ["Lng"] = "106.6990",
            ["ReporterName"] = "Bà Lan",
            ["ReporterPhone"] = "0903123456",
            ["ReporterEmail"] = MailServer.ResidentAddress,
        }, ("karaoke.jpg", WebForm.Photo(), "image/jpeg")));

        var mine = await browser.GetStringAsync($"/r/{code}", Cancel);
        Assert.Contains($"id=\"confirmation-code\">{code}<", mine, StringComparison.Ordinal);
        Assert.Contains($"hát rất to {token}", mine, StringComparison.Ordinal);
        Assert.Contains("45 Pasteur, phường Bến Nghé, quận 1", mine, StringComparison.Ordinal);
        Assert.Contains("trong vòng 5 phút", mine, StringComparison.Ordinal); // the category's SLA
        Assert.Contains("trong vòng 60 phút", mine, StringComparison.Ordinal);
        Assert.Contains(MailServer.ResidentAddress, mine, StringComparison.Ordinal);
        var thumb = System.Text.RegularExpressions.Regex.Match(mine, "src=\"(/r/[^\"]+handler=photo[^\"]+)\"").Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        var photo = await browser.GetAsync(thumb, Cancel);
        Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
        Assert.Equal("image/jpeg", photo.Content.Headers.ContentType?.MediaType);

        // Someone else who knows the code: the public view, no text, contacts or photos.
        var other = WebForm.Browser(app);
        var theirs = await other.GetStringAsync($"/r/{code}", Cancel);
        Assert.Contains(code, theirs, StringComparison.Ordinal);
        Assert.DoesNotContain("confirmation", theirs, StringComparison.Ordinal);
        Assert.DoesNotContain(token, theirs, StringComparison.Ordinal);
        Assert.DoesNotContain(MailServer.ResidentAddress, theirs, StringComparison.Ordinal);
        Assert.DoesNotContain("0903123456", theirs, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(thumb, Cancel)).StatusCode);

        // A receipt for one report shows nothing of another.
        var second = WebForm.CodeOf(await WebForm.FileAsync(other, new Dictionary<string, string> { ["Description"] = "Chợ tự phát trước cổng trường, đông người", ["Address"] = "phường Bến Thành, quận 1" }));
        Assert.DoesNotContain("confirmation-code", await browser.GetStringAsync($"/r/{second}", Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_web_reporter_with_an_email_gets_the_acknowledgement_each_change_and_the_result_and_can_reply()
    {
        var token = EmailTests.Token();
        var code = WebForm.CodeOf(await WebForm.FileAsync(WebForm.Browser(app), new Dictionary<string, string>
        {
            ["Description"] = $"Quán nhậu trên đường Pasteur, phường Bến Nghé, quận 1 tụ tập đông người {token}",
            ["Address"] = "Pasteur, phường Bến Nghé, quận 1",
            ["ReporterEmail"] = MailServer.ResidentAddress,
        }));

        var ack = (await app.Mail.WaitForAsync(MailServer.ResidentAddress, m => About(m, code) && (m.TextBody ?? "").Contains("đã tiếp nhận", StringComparison.Ordinal))).Single();
        Assert.Equal($"Phản ánh / Report [1022 #{code}]", ack.Subject);
        Assert.Contains($"http://portal.test/r/{code}", ack.TextBody ?? "", StringComparison.Ordinal);
        Assert.Equal("auto-replied", ack.Headers[HeaderId.AutoSubmitted]);

        Assert.Equal("routed", (await app.CreateClient().WaitProcessedAsync(code)).Str("status"));
        await app.Mail.WaitForAsync(MailServer.ResidentAddress, m => About(m, code) && (m.TextBody ?? "").Contains("Đã chuyển đơn vị xử lý", StringComparison.Ordinal));
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "760");
        await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/resolve", new { result = $"Đã kiểm tra, quán bị xử phạt {token}." }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        await app.Mail.WaitForAsync(MailServer.ResidentAddress, m => About(m, code) && (m.TextBody ?? "").Contains($"xử phạt {token}", StringComparison.Ordinal));

        // The resident answers the acknowledgement: a note on the report (the mailbox poller finds it by the code).
        var reply = EmailTests.ResidentMail("Re: " + ack.Subject, $"Quán đã mở lại sau 22 giờ {token}");
        reply.InReplyTo = ack.MessageId;
        reply.References.Add(ack.MessageId!);
        await app.Mail.SendAsync(reply);
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var detail = await (await admin.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
            if (detail.GetProperty("notes").EnumerateArray().Any(n => n.Str("text").Contains($"sau 22 giờ {token}", StringComparison.Ordinal)))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the reply did not become a note");
            await Task.Delay(200, Cancel);
        }
    }

    [Fact]
    public async Task An_app_reporter_with_an_email_is_acknowledged_by_email()
    {
        var client = app.CreateClient();
        var code = await client.SubmitAsync(new { description = $"Cơ sở kinh doanh mở cửa, phường Bến Nghé, quận 1 {EmailTests.Token()}", address = "phường Bến Nghé, quận 1", reporter = new { email = MailServer.ResidentAddress } });

        var ack = (await app.Mail.WaitForAsync(MailServer.ResidentAddress, m => About(m, code) && (m.TextBody ?? "").Contains("đã tiếp nhận", StringComparison.Ordinal))).Single();
        Assert.Contains(code, ack.TextBody ?? "", StringComparison.Ordinal);
    }

    private static bool About(MimeMessage message, string code) => (message.Subject ?? "").Contains($"#{code}]", StringComparison.Ordinal);
}
