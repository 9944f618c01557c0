using MimeKit;

namespace CitizenSensor.Tests.Features.Channels;

/// <summary>Mail over the size limit is not downloaded or filed; the sender is told the limit in the thread.</summary>
public sealed class EmailLimitTests(EmailLimitTests.SmallMailApp app) : IClassFixture<EmailLimitTests.SmallMailApp>
{
    [Fact]
    public async Task A_message_over_the_size_limit_is_answered_with_the_limit_and_not_filed()
    {
        var token = EmailTests.Token();
        var message = EmailTests.ResidentMail($"Video quán karaoke {token}", "Quán karaoke ở phường Bến Nghé, quận 1 mở cửa cả đêm, tôi gửi video.");
        var video = new MimePart("video", "mp4")
        {
            Content = new MimeContent(new MemoryStream(new byte[3 * 1024 * 1024])),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "karaoke.mp4",
        };
        message.Body = new Multipart("mixed") { message.Body!, video };
        await app.Mail.SendAsync(message);

        var answer = (await app.Mail.WaitForAsync(MailServer.ResidentAddress, m => m.InReplyTo == message.MessageId)).Single();
        Assert.Contains("quá lớn (tối đa 1 MB)", answer.TextBody ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain("[1022 #", answer.Subject ?? "", StringComparison.Ordinal); // no report, so no code
        Assert.Single(await app.Mail.WaitForAsync(MailServer.CityAddress, m => m.MessageId == message.MessageId, folder: "Processed"));
        Assert.False(EmailTests.IsAcknowledgement(answer));
    }

    public sealed class SmallMailApp : EmailTests.EmailApp
    {
        protected override int MaxMessageBytes => 1024 * 1024;
    }
}
