using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Reports;
using Microsoft.AspNetCore.Hosting;
using MimeKit;

namespace CitizenSensor.Tests.Features.Channels;

/// <summary>
/// The 1022 mailbox end to end against real mail servers: a resident's mail goes through an SMTP relay into the
/// city's Dovecot mailbox, the portal polls it over IMAP, files the report, and every answer comes back through SMTP
/// into the resident's own mailbox, in the same thread. Replies add to the report; automatic mail is ignored.
/// </summary>
public sealed partial class EmailTests(EmailTests.EmailApp app) : IClassFixture<EmailTests.EmailApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private MailServer Mail => app.Mail;

    [Fact]
    public async Task A_mail_becomes_a_routed_report_and_the_result_comes_back_in_the_same_thread()
    {
        var token = Token();
        var original = ResidentMail($"Quán karaoke mở cửa {token}", "Quán karaoke trên đường Pasteur, phường Bến Nghé, quận 1 vẫn mở cửa đón khách, hát rất to.");
        var photo = new MimePart("image", "jpeg")
        {
            Content = new MimeContent(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Assets", "photo.jpg"))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "karaoke.jpg",
        };
        original.Body = new Multipart("mixed") { original.Body!, photo };
        await Mail.SendAsync(original);

        // The acknowledgement: a reply to the resident's message, marked automatic, with the code.
        var ack = (await Mail.WaitForAsync(MailServer.ResidentAddress, m => m.InReplyTo == original.MessageId && (m.TextBody ?? "").Contains("đã tiếp nhận", StringComparison.Ordinal))).Single();
        var code = CodeIn(ack.Subject);
        Assert.Equal($"Re: Quán karaoke mở cửa {token} [1022 #{code}]", ack.Subject);
        Assert.Equal("auto-replied", ack.Headers[HeaderId.AutoSubmitted]);
        Assert.Equal(MailServer.CityAddress, ack.From.Mailboxes.Single().Address);
        Assert.Contains(code, ack.TextBody ?? "", StringComparison.Ordinal);
        Assert.Contains($"http://portal.test/r/{code}", ack.TextBody ?? "", StringComparison.Ordinal);

        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var detail = await (await admin.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("email", detail.Str("channel"));
        Assert.Equal(MailServer.ResidentAddress, detail.GetProperty("reporter").Str("email"));
        Assert.Equal("Bà Lan", detail.GetProperty("reporter").Str("name"));
        Assert.Contains($"Quán karaoke mở cửa {token}", detail.Str("description"), StringComparison.Ordinal);
        Assert.Contains("hát rất to", detail.Str("description"), StringComparison.Ordinal);
        Assert.Equal(1, detail.GetProperty("attachments").GetArrayLength());

        // Routed by the address in the text, resolved by the district's officer: each change is a reply in the thread.
        Assert.Equal("routed", (await app.CreateClient().WaitProcessedAsync(code)).Str("status"));
        var routed = (await Mail.WaitForAsync(MailServer.ResidentAddress, m => (m.Subject ?? "").Contains(code, StringComparison.Ordinal) && (m.TextBody ?? "").Contains("Đã chuyển đơn vị xử lý", StringComparison.Ordinal))).Single();
        Assert.Equal(original.MessageId, routed.InReplyTo);
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "760");
        await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/resolve", new { result = "Đã kiểm tra, quán đã đóng cửa và bị xử phạt 15 triệu đồng." }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var result = (await Mail.WaitForAsync(MailServer.ResidentAddress, m => (m.Subject ?? "").Contains(code, StringComparison.Ordinal) && (m.TextBody ?? "").Contains("xử phạt 15 triệu", StringComparison.Ordinal))).Single();
        Assert.Equal(original.MessageId, result.InReplyTo);
        Assert.Contains(original.MessageId, result.References);

        // The handled mail left the inbox for the processed folder.
        var processed = await Mail.WaitForAsync(MailServer.CityAddress, m => m.MessageId == original.MessageId, folder: "Processed");
        Assert.Single(processed);
        Assert.DoesNotContain(await Mail.InboxAsync(MailServer.CityAddress), m => m.MessageId == original.MessageId);
    }

    [Fact]
    public async Task A_reply_in_the_thread_adds_to_the_report_without_the_quoted_mail_and_with_its_photos()
    {
        var token = Token();
        var original = ResidentMail($"Tụ tập đông người {token}", "Nhóm thanh niên tụ tập đá bóng ở công viên phường Bến Nghé, quận 1, không đeo khẩu trang.");
        await Mail.SendAsync(original);
        var ack = (await Mail.WaitForAsync(MailServer.ResidentAddress, m => m.InReplyTo == original.MessageId && IsAcknowledgement(m))).Single();
        var code = CodeIn(ack.Subject);

        var reply = new MimeMessage();
        reply.From.Add(new MailboxAddress("Bà Lan", MailServer.ResidentAddress));
        reply.To.Add(MailboxAddress.Parse(MailServer.CityAddress));
        reply.Subject = "Re: " + ack.Subject;
        reply.InReplyTo = ack.MessageId;
        reply.References.Add(original.MessageId!);
        reply.References.Add(ack.MessageId!);
        var text = new TextPart("plain")
        {
            Text = $"Bây giờ họ đã chuyển sang sân sau nhà văn hóa {token}.\n\nVào 20/08/2021, Tổng đài 1022 đã viết:\n> {(ack.TextBody ?? "").Split('\n')[0]}",
        };
        var photo = new MimePart("image", "jpeg")
        {
            Content = new MimeContent(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Assets", "photo.jpg"))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "san-sau.jpg",
        };
        var notAPhoto = new MimePart("image", "png")
        {
            Content = new MimeContent(new MemoryStream("not an image at all"u8.ToArray())),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "gia-mao.png",
        };
        reply.Body = new Multipart("mixed") { text, photo, notAPhoto };
        await Mail.SendAsync(reply);

        var added = (await Mail.WaitForAsync(MailServer.ResidentAddress, m => m.InReplyTo == reply.MessageId)).Single();
        Assert.Contains(code, added.TextBody ?? "", StringComparison.Ordinal);
        Assert.Contains(original.MessageId, added.References);
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var detail = await (await admin.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var note = detail.GetProperty("notes").EnumerateArray().Single(n => n.Str("text").Contains(token, StringComparison.Ordinal));
        Assert.StartsWith($"Bây giờ họ đã chuyển sang sân sau nhà văn hóa {token}.\n(1/2 ", note.Str("text"), StringComparison.Ordinal);
        Assert.Contains("'gia-mao.png' is not a photo", note.Str("text"), StringComparison.Ordinal);
        Assert.DoesNotContain("Tổng đài 1022 đã viết", note.Str("text"), StringComparison.Ordinal);

        // The reply's photo is the report's now, its metadata removed like any other.
        var attachment = Assert.Single(detail.GetProperty("attachments").EnumerateArray());
        Assert.Equal("image/jpeg", attachment.Str("contentType"));
        Assert.True(attachment.GetProperty("metadataRemoved").GetBoolean());

        // Not a second report: only the one acknowledgement for this subject.
        Assert.Single(await Mail.InboxAsync(MailServer.ResidentAddress), m => (m.Subject ?? "").Contains(token, StringComparison.Ordinal) && IsAcknowledgement(m));
    }

    [Fact]
    public async Task A_burst_of_answers_shares_a_few_relay_connections()
    {
        var before = Mail.RelayedFrom(MailServer.CityAddress);
        var mails = Enumerable.Range(1, 8)
            .Select(i => ResidentMail($"Tụ tập đông người {Token()}", $"Nhóm {i} tụ tập trước chợ Bến Thành, phường Bến Thành, quận 1, không đeo khẩu trang.", MailServer.BusyAddress))
            .ToList();
        foreach (var mail in mails)
        {
            await Mail.SendAsync(mail);
        }

        foreach (var mail in mails)
        {
            await Mail.WaitForAsync(MailServer.BusyAddress, m => m.InReplyTo == mail.MessageId && IsAcknowledgement(m));
        }

        // Eight acknowledgements (and the routing answers after them) over at most Email:SmtpConnections (4) connections.
        var after = Mail.RelayedFrom(MailServer.CityAddress);
        Assert.True(after.Messages - before.Messages >= 8, $"{after.Messages - before.Messages} answers relayed");
        Assert.True(after.Sessions - before.Sessions <= 4, $"{after.Sessions - before.Sessions} connections for {after.Messages - before.Messages} answers");
    }

    [Fact]
    public async Task Html_mail_is_read_as_text()
    {
        var token = Token();
        var message = ResidentMail($"Vi phạm giãn cách {token}", null);
        message.Body = new TextPart("html")
        {
            Text = $"<html><head><style>p {{ color: red }}</style><script>alert('x')</script></head><body><p>Cửa hàng tạp hóa ở phường Bến Nghé, quận 1</p><div>vẫn bán hàng &amp; cho khách vào đông {token}</div></body></html>",
        };
        await Mail.SendAsync(message);

        var ack = (await Mail.WaitForAsync(MailServer.ResidentAddress, m => m.InReplyTo == message.MessageId && IsAcknowledgement(m))).Single();
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var description = (await (await admin.GetAsync($"/api/v1/staff/reports/{CodeIn(ack.Subject)}", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).Str("description");
        Assert.Equal($"Vi phạm giãn cách {token}\nCửa hàng tạp hóa ở phường Bến Nghé, quận 1\nvẫn bán hàng & cho khách vào đông {token}", description);
    }

    [Fact]
    public async Task Auto_replies_bounces_and_loops_are_ignored()
    {
        var token = Token();
        var automatic = new List<MimeMessage>();
        var outOfOffice = ResidentMail($"Trả lời tự động: vắng mặt {token}", "Tôi đang nghỉ phép đến hết tuần, sẽ trả lời khi quay lại.");
        outOfOffice.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        automatic.Add(outOfOffice);
        var bulk = ResidentMail($"Bản tin khuyến mãi {token}", "Khuyến mãi lớn cuối tuần tại cửa hàng của chúng tôi, giảm giá 50%.");
        bulk.Headers.Add(HeaderId.Precedence, "bulk");
        automatic.Add(bulk);
        var looped = ResidentMail($"Re: Re: Re: phản ánh {token}", "Thư này quay vòng giữa hai hệ thống trả lời tự động.");
        looped.Headers.Add("X-Loop", MailServer.CityAddress);
        automatic.Add(looped);
        var bounce = new MimeMessage();
        bounce.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@mail.test"));
        bounce.To.Add(MailboxAddress.Parse(MailServer.CityAddress));
        bounce.Subject = $"Undelivered Mail Returned to Sender {token}";
        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain") { Text = "This is the mail system at host mail.test. I'm sorry to have to inform you that your message could not be delivered." },
            new MessageDeliveryStatus(),
        };
        bounce.Body = report;
        automatic.Add(bounce);
        foreach (var message in automatic)
        {
            await Mail.SendAsync(message);
        }

        // A person's mail sent after them is filed and answered; by then the automatic ones were handled and moved.
        var marker = ResidentMail($"Phản ánh thật {token}", "Quán nhậu ở phường Bến Nghé, quận 1 vẫn cho khách ngồi đông sau 21 giờ.");
        await Mail.SendAsync(marker);
        await Mail.WaitForAsync(MailServer.ResidentAddress, m => m.InReplyTo == marker.MessageId);
        var processed = await Mail.WaitForAsync(MailServer.CityAddress, m => (m.Subject ?? "").Contains(token, StringComparison.Ordinal), count: 5, folder: "Processed");
        Assert.Equal(5, processed.Count);
        var answers = (await Mail.InboxAsync(MailServer.ResidentAddress)).Where(m => (m.Subject ?? "").Contains(token, StringComparison.Ordinal)).ToList();
        Assert.All(answers, m => Assert.Equal(marker.MessageId, m.InReplyTo)); // only the marker is answered
    }

    [Fact]
    public async Task A_sender_that_floods_the_mailbox_is_ignored_after_the_hourly_limit()
    {
        // An auto-responder that strips every marker still cannot loop forever: past the limit nothing is filed or answered.
        var token = Token();
        var sent = new List<MimeMessage>();
        for (var i = 0; i < EmailApp.PerSenderPerHour + 2; i++)
        {
            var message = ResidentMail($"Re: Re: phản ánh {token} {i}", $"Quán nhậu ở phường Bến Nghé, quận 1 vẫn mở cửa ({i}).");
            message.From.Clear();
            message.From.Add(MailboxAddress.Parse(MailServer.ChattyAddress));
            await Mail.SendAsync(message);
            sent.Add(message);
        }

        await Mail.WaitForAsync(MailServer.CityAddress, m => (m.Subject ?? "").Contains(token, StringComparison.Ordinal), count: sent.Count, folder: "Processed");
        var acknowledged = (await Mail.WaitForAsync(MailServer.ChattyAddress, IsAcknowledgement, count: EmailApp.PerSenderPerHour)).Select(m => m.InReplyTo).ToHashSet();
        Assert.Equal(sent.Take(EmailApp.PerSenderPerHour).Select(m => m.MessageId).ToHashSet(), acknowledged);
        await Task.Delay(TimeSpan.FromSeconds(1), Cancel); // answers are sent within milliseconds of handling: none more come
        Assert.Equal(EmailApp.PerSenderPerHour, (await Mail.InboxAsync(MailServer.ChattyAddress)).Count(IsAcknowledgement));
    }

    [Fact]
    public async Task An_answer_the_relay_refuses_for_good_is_given_up_and_shown_to_staff()
    {
        var token = Token();
        var message = ResidentMail($"Phản ánh {token}", "Quán cà phê ở phường Bến Nghé, quận 1 cho khách ngồi tại chỗ.");
        message.From.Clear();
        message.From.Add(MailboxAddress.Parse("nobody@mail.test")); // no such mailbox: the relay answers 550
        await Mail.SendAsync(message);
        Assert.Single(await Mail.WaitForAsync(MailServer.CityAddress, m => m.MessageId == message.MessageId, folder: "Processed"));

        // The message was handled, so its report exists; its acknowledgement is refused once and given up.
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var list = await (await admin.GetAsync("/api/v1/staff/reports?limit=200", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var code = list.EnumerateArray().Single(r => r.Str("excerpt").Contains(token, StringComparison.Ordinal)).Str("code");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var deliveries = await (await admin.GetAsync($"/api/v1/staff/reports/{code}/webhook-deliveries", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
            var refused = deliveries.EnumerateArray().FirstOrDefault(d => d.GetProperty("lastStatusCode") is { ValueKind: System.Text.Json.JsonValueKind.Number } status && status.GetInt32() == 550);
            if (refused.ValueKind != System.Text.Json.JsonValueKind.Undefined)
            {
                Assert.Equal("gave-up", refused.Str("state"));
                Assert.Equal(1, refused.GetProperty("attempts").GetInt32());
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "no delivery was refused with 550");
            await Task.Delay(200, Cancel);
        }
    }

    internal static MimeMessage ResidentMail(string subject, string? text, string from = MailServer.ResidentAddress)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Bà Lan", from));
        message.To.Add(MailboxAddress.Parse(MailServer.CityAddress));
        message.Subject = subject;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("mail.test");
        message.Body = new TextPart("plain") { Text = text ?? "" };
        return message;
    }

    internal static bool IsAcknowledgement(MimeMessage message) => (message.TextBody ?? "").Contains("đã tiếp nhận", StringComparison.Ordinal);

    internal static string Token() => "T" + Guid.NewGuid().ToString("N")[..8];

    private static string CodeIn(string? subject) => CodePattern().Match(subject ?? "") is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException($"No code in '{subject}'.");

    [GeneratedRegex(@"\[1022 #([A-Z0-9]+)\]")]
    private static partial Regex CodePattern();

    public class EmailApp : CitizenApp
    {
        public const int PerSenderPerHour = 12;

        protected virtual int MaxMessageBytes => 40 * 1024 * 1024;

        public MailServer Mail { get; private set; } = null!;

        public override async ValueTask InitializeAsync()
        {
            Mail = await MailServer.StartAsync();
            await base.InitializeAsync();
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Mail.DisposeAsync();
            GC.SuppressFinalize(this);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Email:Address", MailServer.CityAddress);
            builder.UseSetting("Email:PublicBaseUrl", "http://portal.test");
            builder.UseSetting("Email:Imap:Host", "127.0.0.1");
            builder.UseSetting("Email:Imap:Port", Mail.ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Email:Imap:Security", "None");
            builder.UseSetting("Email:Imap:User", MailServer.CityAddress);
            builder.UseSetting("Email:Imap:Password", MailServer.PasswordOf(MailServer.CityAddress));
            builder.UseSetting("Email:Smtp:Host", "127.0.0.1");
            builder.UseSetting("Email:Smtp:Port", Mail.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Email:Smtp:Security", "None");
            builder.UseSetting("Email:PollInterval", "00:00:00.200");
            builder.UseSetting("Email:MaxPerSenderPerHour", PerSenderPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Email:MaxMessageBytes", MaxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Reports:Webhooks:PollInterval", "00:00:00.100");
        }
    }
}
