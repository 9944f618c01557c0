using MailKit.Security;

namespace CitizenSensor.Features.Channels.Email;

/// <summary>
/// <c>Email</c>: the 1022 mailbox. Mail arrives by IMAP polling of that mailbox (the city's mail server keeps it;
/// ADR 0008); answers leave through the city's SMTP relay. Each half is off until its host is set.
/// </summary>
public sealed class EmailOptions
{
    /// <summary>The portal's public address (From of every answer, and the address residents write to).</summary>
    public string Address { get; set; } = "1022@citizensensor.local";

    public string DisplayName { get; set; } = "Tổng đài 1022";

    public MailServerOptions Imap { get; set; } = new() { Port = 993, Security = SecureSocketOptions.SslOnConnect };

    public MailServerOptions Smtp { get; set; } = new() { Port = 587, Security = SecureSocketOptions.StartTls };

    /// <summary>The folder new mail arrives in.</summary>
    public string Inbox { get; set; } = "INBOX";

    /// <summary>Where handled mail is moved to (created if missing); the inbox holds only mail not yet handled.</summary>
    public string ProcessedFolder { get; set; } = "Processed";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Larger messages are not filed; the sender is told why.</summary>
    public int MaxMessageBytes { get; set; } = 40 * 1024 * 1024;

    /// <summary>More messages than this from one address in an hour are ignored (a loop with an auto-responder).</summary>
    public int MaxPerSenderPerHour { get; set; } = 20;

    /// <summary>Connections to the SMTP relay a node keeps open at most; answers wait for a free one and reuse it.</summary>
    public int SmtpConnections { get; set; } = 4;

    /// <summary>An idle relay connection older than this is closed rather than reused (relays drop idle clients).</summary>
    public TimeSpan SmtpIdle { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The tracking links in answers (the public site's address).</summary>
    public string? PublicBaseUrl { get; set; }

    public bool ReceiveEnabled => !string.IsNullOrEmpty(Imap.Host);

    public bool SendEnabled => !string.IsNullOrEmpty(Smtp.Host);

    /// <summary>The domain of our Message-IDs.</summary>
    public string Domain => Address[(Address.IndexOf('@', StringComparison.Ordinal) + 1)..];
}

public sealed class MailServerOptions
{
    public string? Host { get; set; }

    public int Port { get; set; }

    /// <summary>None, Auto, SslOnConnect, StartTls or StartTlsWhenAvailable.</summary>
    public SecureSocketOptions Security { get; set; }

    public string? User { get; set; }

    public string? Password { get; set; }
}
