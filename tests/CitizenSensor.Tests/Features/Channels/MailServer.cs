using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SmtpServer;
using SmtpServer.Storage;

namespace CitizenSensor.Tests.Features.Channels;

/// <summary>
/// Real mail servers on loopback for the e-mail channel's tests: Debian's Dovecot (IMAP, the mailboxes) started from a
/// generated configuration, and an SMTP relay (the SmtpServer library) that delivers what it accepts into the
/// recipients' Dovecot mailboxes over IMAP, as a city's mail server would. Unknown recipients are refused with 550.
/// </summary>
public sealed class MailServer : IAsyncDisposable
{
    public const string DovecotPath = "/usr/sbin/dovecot";
    public const string CityAddress = "1022@city.test";
    public const string ResidentAddress = "resident@mail.test";
    public const string ChattyAddress = "chatty@mail.test";
    public const string BusyAddress = "busy@mail.test";

    private static readonly Dictionary<string, string> Passwords = new(StringComparer.OrdinalIgnoreCase)
    {
        [CityAddress] = "city-secret",
        [ResidentAddress] = "resident-secret",
        [ChattyAddress] = "chatty-secret",
        [BusyAddress] = "busy-secret",
    };

    private readonly string _folder;
    private readonly Process _dovecot;
    private readonly CancellationTokenSource _stop = new();
    private Task _relay = Task.CompletedTask;

    private MailServer(string folder, Process dovecot, int imapPort, int smtpPort)
    {
        (_folder, _dovecot, ImapPort, SmtpPort) = (folder, dovecot, imapPort, smtpPort);
    }

    public int ImapPort { get; }

    public int SmtpPort { get; }

    public static string PasswordOf(string address) => Passwords[address];

    public static async Task<MailServer> StartAsync()
    {
        if (!File.Exists(DovecotPath))
        {
            Assert.Skip("Dovecot is not installed (Debian package dovecot-imapd; ./test.sh installs it).");
        }

        var folder = Directory.CreateTempSubdirectory("cs-mail-").FullName;
        var (imapPort, smtpPort) = (FreePort(), FreePort());
        var dovecot = await StartDovecotAsync(folder, imapPort);
        var server = new MailServer(folder, dovecot, imapPort, smtpPort);
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Delivery(server));
        services.Add(new Recipients());
        var relay = new SmtpServer.SmtpServer(
            new SmtpServerOptionsBuilder().ServerName("relay.test").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, smtpPort))).Build(),
            services);
        server._relay = relay.StartAsync(server._stop.Token);
        await WaitForPortAsync(smtpPort);
        return server;
    }

    private readonly List<(ISessionContext Session, string From)> _relayed = [];

    /// <summary>How many messages from this address the relay accepted, over how many SMTP sessions.</summary>
    public (int Messages, int Sessions) RelayedFrom(string address)
    {
        lock (_relayed)
        {
            var mine = _relayed.Where(r => r.From == address).ToList();
            return (mine.Count, mine.Select(r => r.Session).Distinct(ReferenceEqualityComparer.Instance).Count());
        }
    }

    /// <summary>A resident's mail program sending through the relay.</summary>
    public async Task SendAsync(MimeMessage message)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", SmtpPort, SecureSocketOptions.None);
        await client.SendAsync(message);
        await client.DisconnectAsync(true);
    }

    /// <summary>The messages in a mailbox's inbox, read over IMAP.</summary>
    public async Task<List<MimeMessage>> InboxAsync(string address, string folder = "INBOX")
    {
        using var imap = await LoginAsync(address);
        IMailFolder mailbox;
        try
        {
            mailbox = await imap.GetFolderAsync(folder);
        }
        catch (FolderNotFoundException)
        {
            return []; // not created yet
        }

        await mailbox.OpenAsync(FolderAccess.ReadOnly);
        var messages = new List<MimeMessage>();
        for (var i = 0; i < mailbox.Count; i++)
        {
            messages.Add(await mailbox.GetMessageAsync(i));
        }

        await imap.DisconnectAsync(true);
        return messages;
    }

    /// <summary>Waits (up to 20 s) until the inbox holds <paramref name="count"/> messages matching the predicate.</summary>
    public async Task<List<MimeMessage>> WaitForAsync(string address, Func<MimeMessage, bool> match, int count = 1, string folder = "INBOX")
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var found = (await InboxAsync(address, folder)).Where(match).ToList();
            if (found.Count >= count || DateTime.UtcNow > until)
            {
                Assert.True(found.Count >= count, $"{address}/{folder} has {found.Count} matching messages, expected {count}.");
                return found;
            }

            await Task.Delay(150);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _relay;
        }
        catch (OperationCanceledException)
        {
        }

        if (!_dovecot.HasExited)
        {
            _dovecot.Kill(entireProcessTree: true);
            await _dovecot.WaitForExitAsync();
        }

        _dovecot.Dispose();
        _stop.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<ImapClient> LoginAsync(string address)
    {
        var imap = new ImapClient { Timeout = 10_000 };
        await imap.ConnectAsync("127.0.0.1", ImapPort, SecureSocketOptions.None);
        await imap.AuthenticateAsync(address, Passwords[address]);
        return imap;
    }

    private static async Task<Process> StartDovecotAsync(string folder, int port)
    {
        // As root, Dovecot wants unprivileged users for its processes and the mail (Debian's package creates them).
        var root = Environment.UserName == "root";
        var (mailUser, loginUser) = root ? ("dovecot", "dovenull") : (Environment.UserName, Environment.UserName);
        // Dovecot's own processes (unprivileged) read the password file and write the mail.
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        Directory.CreateDirectory(Path.Combine(folder, "mail"));
        Directory.CreateDirectory(Path.Combine(folder, "run"));
        if (root)
        {
            using var chown = Process.Start("chown", ["-R", $"{mailUser}:", Path.Combine(folder, "mail")]);
            await chown.WaitForExitAsync();
        }

        await File.WriteAllLinesAsync(Path.Combine(folder, "users"), Passwords.Select(p => $"{p.Key}:{{PLAIN}}{p.Value}::::::"));
        await File.WriteAllTextAsync(Path.Combine(folder, "dovecot.conf"), $$"""
            protocols = imap
            listen = 127.0.0.1
            base_dir = {{folder}}/run
            state_dir = {{folder}}/run/state
            log_path = {{folder}}/dovecot.log
            instance_name = citizensensor-test-{{port}}
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            mail_location = maildir:{{folder}}/mail/%u
            first_valid_uid = 1
            default_internal_user = {{mailUser}}
            default_login_user = {{loginUser}}
            passdb {
              driver = passwd-file
              args = scheme=PLAIN {{folder}}/users
            }
            userdb {
              driver = static
              args = uid={{mailUser}} gid={{mailUser}} home={{folder}}/mail/%u
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{port}}
              }
              inet_listener imaps {
                port = 0
              }
              chroot =
            }
            service anvil {
              chroot =
            }
            """);
        var dovecot = Process.Start(new ProcessStartInfo(DovecotPath, ["-F", "-c", Path.Combine(folder, "dovecot.conf")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        try
        {
            await WaitForPortAsync(port);
        }
        catch (TimeoutException)
        {
            var log = File.Exists(Path.Combine(folder, "dovecot.log")) ? await File.ReadAllTextAsync(Path.Combine(folder, "dovecot.log")) : "";
            throw new InvalidOperationException($"Dovecot did not start: {await dovecot.StandardError.ReadToEndAsync()} {log}");
        }

        return dovecot;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < until)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"Nothing listens on 127.0.0.1:{port}.");
    }

    /// <summary>Delivers an accepted message into each recipient's mailbox (IMAP APPEND as that user).</summary>
    private sealed class Delivery(MailServer server) : MessageStore
    {
        public override async Task<SmtpServer.Protocol.SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            try
            {
                using var stream = new MemoryStream(buffer.ToArray());
                var message = await MimeMessage.LoadAsync(stream, cancellationToken);
                lock (server._relayed)
                {
                    server._relayed.Add((context, $"{transaction.From.User}@{transaction.From.Host}"));
                }

                foreach (var recipient in transaction.To)
                {
                    using var imap = await server.LoginAsync($"{recipient.User}@{recipient.Host}");
                    await imap.Inbox.AppendAsync(new AppendRequest(message), cancellationToken);
                    await imap.DisconnectAsync(true, cancellationToken);
                }

                return SmtpServer.Protocol.SmtpResponse.Ok;
            }
            catch (Exception ex) when (ex is IOException or MailKit.Net.Imap.ImapCommandException or MailKit.Security.AuthenticationException or System.Net.Sockets.SocketException)
            {
                // The sender sees why (a test failure names the cause instead of a bare 554).
                return new SmtpServer.Protocol.SmtpResponse(SmtpServer.Protocol.SmtpReplyCode.TransactionFailed, $"Delivery failed: {ex.Message}");
            }
        }
    }

    private sealed class Recipients : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, SmtpServer.Mail.IMailbox from, int size, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, SmtpServer.Mail.IMailbox to, SmtpServer.Mail.IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(Passwords.ContainsKey($"{to.User}@{to.Host}"));
    }
}
