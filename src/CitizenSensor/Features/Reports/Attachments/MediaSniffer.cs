namespace CitizenSensor.Features.Reports.Attachments;

public enum MediaKind
{
    Photo,
    Video,
}

public sealed record MediaType(MediaKind Kind, string ContentType, string Extension);

/// <summary>
/// What a file really is, from its first bytes, whatever its name or declared type says: a renamed .exe is not
/// a photo. Accepts JPEG, PNG, WebP, HEIC/HEIF photos and MP4/MOV videos.
/// </summary>
public static class MediaSniffer
{
    public const int HeaderBytes = 32;

    public static readonly MediaType Jpeg = new(MediaKind.Photo, "image/jpeg", ".jpg");
    public static readonly MediaType Png = new(MediaKind.Photo, "image/png", ".png");
    public static readonly MediaType Webp = new(MediaKind.Photo, "image/webp", ".webp");
    public static readonly MediaType Heic = new(MediaKind.Photo, "image/heic", ".heic");
    public static readonly MediaType QuickTime = new(MediaKind.Video, "video/quicktime", ".mov");
    public static readonly MediaType Mp4 = new(MediaKind.Video, "video/mp4", ".mp4");

    private static readonly MediaType[] Known = [Jpeg, Png, Webp, Heic, QuickTime, Mp4];

    private static readonly string[] HeicBrands = ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"];
    private static readonly string[] Mp4Brands = ["isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "M4VP", "dash", "3gp4", "3gp5", "3gp6", "3g2a", "mmp4"];

    public static MediaType? Detect(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return Jpeg;
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png;
        }

        if (header.Length >= 12 && header[..4].SequenceEqual("RIFF"u8) && header.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return Webp;
        }

        if (header.Length >= 12 && header.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            var brand = System.Text.Encoding.ASCII.GetString(header.Slice(8, 4));
            if (HeicBrands.Contains(brand))
            {
                return Heic;
            }

            if (brand == "qt  ")
            {
                return QuickTime;
            }

            if (Mp4Brands.Contains(brand))
            {
                return Mp4;
            }
        }

        // Older QuickTime files start with other atoms.
        if (header.Length >= 8 && (header.Slice(4, 4).SequenceEqual("moov"u8) || header.Slice(4, 4).SequenceEqual("mdat"u8) || header.Slice(4, 4).SequenceEqual("wide"u8)))
        {
            return QuickTime;
        }

        return null;
    }

    /// <summary>The accepted type a stored file's extension (one of <see cref="MediaType.Extension"/>) names, if any.</summary>
    public static MediaType? ByExtension(string? extension) =>
        Array.Find(Known, t => string.Equals(t.Extension, extension, StringComparison.OrdinalIgnoreCase));

    /// <summary>A short description of what the bytes look like, for the error message.</summary>
    public static string Describe(ReadOnlySpan<byte> header) =>
        header.StartsWith("MZ"u8) ? "a Windows program"
        : header.StartsWith("%PDF"u8) ? "a PDF document"
        : header.StartsWith("PK"u8) ? "a ZIP archive"
        : header.StartsWith("GIF8"u8) ? "a GIF image (not accepted)"
        : header.StartsWith("<"u8) ? "text or HTML"
        : "an unknown format";
}
