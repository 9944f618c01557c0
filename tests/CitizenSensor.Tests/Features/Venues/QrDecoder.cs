using System.Diagnostics;

namespace CitizenSensor.Tests.Features.Venues;

/// <summary>Reads QR codes with a real decoder: Debian's zbarimg (zbar-tools), run on the image the portal produced.</summary>
internal static class QrDecoder
{
    public static async Task<string> DecodeAsync(byte[] image, string extension)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cs-qr-{Guid.NewGuid():N}.{extension}");
        await File.WriteAllBytesAsync(file, image);
        try
        {
            using var zbar = Process.Start(new ProcessStartInfo("zbarimg", ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", file])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("zbarimg did not start (apt-get install zbar-tools).");
            var output = await zbar.StandardOutput.ReadToEndAsync();
            var error = await zbar.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await zbar.WaitForExitAsync(timeout.Token);
            Assert.True(zbar.ExitCode == 0, $"zbarimg found no QR code (exit {zbar.ExitCode}): {error}");
            return output.TrimEnd('\n');
        }
        finally
        {
            File.Delete(file);
        }
    }
}
