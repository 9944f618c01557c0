using QRCoder;

namespace CitizenSensor.Features.Venues;

/// <summary>QR codes of check-in URLs (and residents' passes): PNG for printing services, SVG for the poster and the web.</summary>
public static class VenueQr
{
    // Level M survives a scratched or partly covered poster (15 % of the code) and stays easy to scan from a phone.
    public static byte[] Png(string text, int pixelsPerModule = 10)
    {
        using var data = Encode(text);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule);
    }

    public static string Svg(string text, int pixelsPerModule = 10)
    {
        using var data = Encode(text);
        return new SvgQRCode(data).GetGraphic(pixelsPerModule);
    }

    private static QRCodeData Encode(string text)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
    }
}
