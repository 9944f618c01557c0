using System.Net;
using System.Net.Sockets;

namespace CitizenSensor.Features.Reports.Webhooks;

/// <summary>
/// Keeps webhook deliveries on the public internet. The check runs when the connection is opened, on the addresses
/// the name resolved to right then, so a name that resolves to a public address at submission and to an internal one
/// later (DNS rebinding) is still refused.
/// </summary>
public static class NetworkGuard
{
    /// <summary>True for addresses on the public internet; false for loopback, private, link-local (cloud metadata
    /// at 169.254.169.254), carrier-grade NAT, multicast, documentation and other reserved ranges.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224 // this network, private, loopback, multicast and reserved
                || (b[0] == 100 && b[1] is >= 64 and <= 127) // carrier-grade NAT
                || (b[0] == 169 && b[1] == 254) // link-local, cloud metadata
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2) // IETF protocol assignments, documentation
                || (b[0] == 198 && b[1] is 18 or 19) // benchmarking
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(IPAddress.IPv6Loopback.Equals(address) || IPAddress.IPv6None.Equals(address)
                || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal
                || address.IsIPv6Teredo || address.IsIPv4MappedToIPv6
                || b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 // IPv4-compatible (::a.b.c.d, deprecated): reaches IPv4 ranges
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) // documentation
                || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)) // NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48)
                && !(b[0] == 0x20 && b[1] == 0x02 && !IsPublic(new IPAddress(b.AsSpan(2, 4)))); // 6to4 carries an IPv4 address
        }

        return false;
    }

    /// <summary>Opens the TCP connection for a delivery, to an allowed address only.</summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken);
        var allowed = allowPrivate ? addresses : [.. addresses.Where(IsPublic)];
        if (allowed.Length == 0)
        {
            throw new WebhookRefusedException($"'{endPoint.Host}' resolves only to loopback, private or reserved addresses; webhooks go to public addresses.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>The target is not allowed; retrying would not help.</summary>
public sealed class WebhookRefusedException(string message) : Exception(message);
