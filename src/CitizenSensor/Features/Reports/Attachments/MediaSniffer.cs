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

    private static readonly string[] HeicBrands = ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"];
    private static readonly string[] Mp4Brands = ["isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "M4VP", "dash", "3gp4", "3gp5", "3gp6", "3g2a", "mmp4"];

    public static MediaType? Detect(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return new MediaType(MediaKind.Photo, "image/jpeg", ".jpg");
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return new MediaType(MediaKind.Photo, "image/png", ".png");
        }

        if (header.Length >= 12 && header[..4].SequenceEqual("RIFF"u8) && header.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return new MediaType(MediaKind.Photo, "image/webp", ".webp");
        }

        if (header.Length >= 12 && header.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            var brand = System.Text.Encoding.ASCII.GetString(header.Slice(8, 4));
            if (HeicBrands.Contains(brand))
            {
                return new MediaType(MediaKind.Photo, "image/heic", ".heic");
            }

            if (brand == "qt  ")
            {
                return new MediaType(MediaKind.Video, "video/quicktime", ".mov");
            }

            if (Mp4Brands.Contains(brand))
            {
                return new MediaType(MediaKind.Video, "video/mp4", ".mp4");
            }
        }

        // Older QuickTime files start with other atoms.
        if (header.Length >= 8 && (header.Slice(4, 4).SequenceEqual("moov"u8) || header.Slice(4, 4).SequenceEqual("mdat"u8) || header.Slice(4, 4).SequenceEqual("wide"u8)))
        {
            return new MediaType(MediaKind.Video, "video/quicktime", ".mov");
        }

        return null;
    }

    /// <summary>A short description of what the bytes look like, for the error message.</summary>
    public static string Describe(ReadOnlySpan<byte> header) =>
        header.StartsWith("MZ"u8) ? "a Windows program"
        : header.StartsWith("%PDF"u8) ? "a PDF document"
        : header.StartsWith("PK"u8) ? "a ZIP archive"
        : header.StartsWith("GIF8"u8) ? "a GIF image (not accepted)"
        : header.StartsWith("<"u8) ? "text or HTML"
        : "an unknown format";
}
