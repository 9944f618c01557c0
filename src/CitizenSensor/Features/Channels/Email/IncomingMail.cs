using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CitizenSensor.Features.Reports.Attachments;
using MimeKit;
using MimeKit.Text;

namespace CitizenSensor.Features.Channels.Email;

/// <summary>Reads one message from the mailbox: is it automatic, what does it say, what is attached, which report does it answer.</summary>
public static partial class IncomingMail
{
    /// <summary>
    /// Why the message must not be answered or filed (RFC 3834 auto-replies, delivery and read reports, mailer daemons,
    /// our own mail coming back), or null for mail a person wrote.
    /// </summary>
    public static string? AutomaticReason(MimeMessage message, string ourAddress)
    {
        var headers = message.Headers;
        if (headers[HeaderId.AutoSubmitted] is { } autoSubmitted && !autoSubmitted.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return $"auto-submitted ({autoSubmitted.Trim()})";
        }

        if (message.Body is MultipartReport || message.Body?.ContentType.IsMimeType("message", "delivery-status") == true)
        {
            return "delivery or read report";
        }

        if (headers["X-Autoreply"] is not null || headers["X-Autorespond"] is not null || headers["X-Auto-Reply-From"] is not null)
        {
            return "auto-reply header";
        }

        if (headers[HeaderId.Precedence]?.Trim().ToLowerInvariant() is "bulk" or "junk" or "list" or "auto_reply")
        {
            return $"precedence {headers[HeaderId.Precedence]!.Trim()}";
        }

        if (headers[HeaderId.ListId] is not null)
        {
            return "mailing list";
        }

        if (headers["X-Loop"] is { } loop && loop.Contains(ourAddress, StringComparison.OrdinalIgnoreCase))
        {
            return "our own X-Loop";
        }

        if (headers[HeaderId.ReturnPath]?.Trim() == "<>")
        {
            return "null return path (bounce)";
        }

        var from = Sender(message);
        if (from is null)
        {
            return "no sender";
        }

        var local = from.Address.Split('@')[0].ToLowerInvariant();
        if (local is "mailer-daemon" or "postmaster" or "noreply" or "no-reply" or "donotreply" or "do-not-reply")
        {
            return $"sent by {local}";
        }

        return string.Equals(from.Address, ourAddress, StringComparison.OrdinalIgnoreCase) ? "sent by ourselves" : null;
    }

    public static MailboxAddress? Sender(MimeMessage message) =>
        message.From.Mailboxes.FirstOrDefault() ?? message.Sender;

    /// <summary>The Message-ID, or for a message without one a stable id from its headers and body.</summary>
    public static string MessageId(MimeMessage message)
    {
        if (!string.IsNullOrWhiteSpace(message.MessageId) && message.MessageId.Length <= EmailThread.MaxMessageId)
        {
            return message.MessageId;
        }

        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return "sha256." + Convert.ToHexStringLower(SHA256.HashData(stream.ToArray())) + "@citizensensor.invalid";
    }

    /// <summary>Our answers carry the report's code in their Message-ID: a reply that references one belongs to that report.</summary>
    public static string OurMessageId(string code, Guid messageId, string domain) => $"1022.{code}.{messageId:N}@{domain}";

    public static string? ReferencedCode(MimeMessage message, string domain)
    {
        foreach (var id in Ancestors(message).Reverse())
        {
            var match = OurIdPattern().Match(id);
            if (match.Success && string.Equals(match.Groups["domain"].Value, domain, StringComparison.OrdinalIgnoreCase))
            {
                return match.Groups["code"].Value;
            }
        }

        return null;
    }

    /// <summary>The Message-IDs this message replies to, newest last (In-Reply-To and References).</summary>
    public static IEnumerable<string> Ancestors(MimeMessage message) =>
        message.References.Append(message.InReplyTo).OfType<string>().Distinct();

    /// <summary>What the resident wrote: the plain-text part, or the HTML part as text; quoted earlier mail is cut off.</summary>
    public static string Text(MimeMessage message)
    {
        var text = message.TextBody is { } plain && !string.IsNullOrWhiteSpace(plain) ? plain
            : message.HtmlBody is { } html ? HtmlToText(html)
            : "";
        return WithoutQuotes(text);
    }

    public static string HtmlToText(string html)
    {
        var output = new StringBuilder();
        var skip = 0;
        var tokenizer = new HtmlTokenizer(new StringReader(html));
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style or HtmlTagId.Head or HtmlTagId.Title:
                    skip += tag.IsEndTag ? -1 : tag.IsEmptyElement ? 0 : 1;
                    skip = Math.Max(skip, 0);
                    break;
                case HtmlTagToken tag when !tag.IsEndTag && tag.Id is HtmlTagId.Br or HtmlTagId.P or HtmlTagId.Div or HtmlTagId.LI or HtmlTagId.TR
                    or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3 or HtmlTagId.H4 or HtmlTagId.BlockQuote or HtmlTagId.Table:
                    output.Append('\n');
                    break;
                case HtmlDataToken data when skip == 0:
                    output.Append(data.Data);
                    break;
            }
        }

        var lines = output.ToString().Split('\n').Select(l => Spaces().Replace(l, " ").Trim());
        return Blank().Replace(string.Join('\n', lines), "\n\n").Trim();
    }

    /// <summary>Cuts the earlier mail a reply quotes ("&gt;" lines, "On … wrote:", "Vào … đã viết:", Outlook's header block).</summary>
    public static string WithoutQuotes(string text)
    {
        var kept = new List<string>();
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var trimmed = line.Trim();
            if (QuoteHeader().IsMatch(trimmed) || trimmed.StartsWith("-----Original Message-----", StringComparison.OrdinalIgnoreCase)
                || trimmed.StartsWith("________________________________", StringComparison.Ordinal))
            {
                break;
            }

            if (!trimmed.StartsWith('>'))
            {
                kept.Add(line.TrimEnd());
            }
        }

        return Blank().Replace(string.Join('\n', kept), "\n\n").Trim();
    }

    /// <summary>The photos and videos in the message (attached or inline), at most <paramref name="max"/>, decoded.</summary>
    public static List<IncomingFile> Media(MimeMessage message, int max)
    {
        var files = new List<IncomingFile>();
        foreach (var part in message.BodyParts.OfType<MimePart>())
        {
            if (files.Count == max || part.Content is null || !(part.ContentType.MediaType.Equals("image", StringComparison.OrdinalIgnoreCase)
                || part.ContentType.MediaType.Equals("video", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            using var stream = new MemoryStream();
            part.Content.DecodeTo(stream);
            var data = stream.ToArray();
            files.Add(new IncomingFile($"files[{files.Count}]", part.FileName ?? $"email-{files.Count + 1}", data.Length, () => new MemoryStream(data)));
        }

        return files;
    }

    [GeneratedRegex(@"^(On\s.+wrote:|Vào\s.+đã viết:|Le\s.+a écrit\s?:)$", RegexOptions.IgnoreCase)]
    private static partial Regex QuoteHeader();

    [GeneratedRegex(@"^<?1022\.(?<code>[A-Z0-9]{4,20})\.[0-9a-f]{32}@(?<domain>[^>]+)>?$")]
    private static partial Regex OurIdPattern();

    [GeneratedRegex(@"[ \t\u00A0]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex Blank();
}
