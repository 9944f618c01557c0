using System.Buffers.Binary;

namespace CitizenSensor.Features.Reports.Attachments;

/// <summary>
/// Removes location (and the rest of the metadata that can identify a person or device) from photos before anyone
/// sees them: EXIF, XMP, IPTC and text chunks. A JPEG keeps only its orientation, so it still shows upright.
/// Works on the container structure; the image data is not decoded or re-encoded.
/// </summary>
public static class PhotoMetadata
{
    public static byte[] Strip(byte[] data, string contentType) => contentType switch
    {
        "image/jpeg" => StripJpeg(data),
        "image/png" => StripPng(data),
        "image/webp" => StripWebp(data),
        "image/heic" => StripHeif(data),
        _ => throw new ArgumentException($"Not a photo type: {contentType}", nameof(contentType)),
    };

    /// <summary>
    /// Keeps the primary image only: up to its end-of-image marker, so a second image appended after it (multi-picture
    /// phone photos, MPF, with its own EXIF and location) and any other trailer are dropped, as is the MPF index (APP2).
    /// </summary>
    private static byte[] StripJpeg(byte[] data)
    {
        using var output = new MemoryStream(data.Length);
        output.Write(data, 0, 2); // SOI
        var (i, scanned) = (2, false);
        while (i + 2 <= data.Length)
        {
            if (data[i] != 0xFF)
            {
                throw new InvalidDataException("The JPEG is damaged (expected a marker).");
            }

            var marker = data[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte before a marker
                continue;
            }

            if (marker == 0xD9)
            {
                output.Write(data, i, 2); // EOI: the primary image ends here
                return output.ToArray();
            }

            if (i + 4 > data.Length)
            {
                break;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(i + 2));
            if (length < 2 || i + 2 + length > data.Length)
            {
                throw new InvalidDataException("The JPEG is damaged (a segment runs past the end).");
            }

            var payload = data.AsSpan(i + 4, length - 2);
            var drop = marker switch
            {
                0xE1 => true,  // APP1: EXIF or XMP
                0xE2 => payload.StartsWith("MPF\0"u8), // APP2: the index of the secondary images
                0xED => true,  // APP13: Photoshop/IPTC
                0xFE => true,  // comment
                _ => false,
            };
            if (marker == 0xE1 && payload.StartsWith("Exif\0\0"u8) && ReadOrientation(payload[6..]) is { } orientation and not 1)
            {
                output.Write(OrientationOnlyExif(orientation));
            }

            if (!drop)
            {
                output.Write(data, i, 2 + length);
            }

            i += 2 + length;
            if (marker == 0xDA)
            {
                var end = EndOfScan(data, i);
                output.Write(data, i, end - i); // the image data, verbatim
                (i, scanned) = (end, true);
            }
        }

        if (scanned && i >= data.Length)
        {
            return output.ToArray(); // cut short after its image data: kept as it came, as before
        }

        throw new InvalidDataException("The JPEG is damaged (no image data).");
    }

    /// <summary>Where a scan's entropy-coded data ends: the next marker that is not a stuffed byte or a restart.</summary>
    private static int EndOfScan(byte[] data, int from)
    {
        for (var j = from; j + 1 < data.Length; j++)
        {
            if (data[j] == 0xFF && data[j + 1] is not (0x00 or 0xFF) && data[j + 1] is not (>= 0xD0 and <= 0xD7))
            {
                return j;
            }
        }

        return data.Length;
    }

    /// <summary>The orientation tag (0x0112) of a TIFF structure's first IFD, if present.</summary>
    private static ushort? ReadOrientation(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return null;
        }

        var little = tiff[0] == (byte)'I';
        ushort U16(ReadOnlySpan<byte> s) => little ? BinaryPrimitives.ReadUInt16LittleEndian(s) : BinaryPrimitives.ReadUInt16BigEndian(s);
        uint U32(ReadOnlySpan<byte> s) => little ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s);
        var ifd = U32(tiff[4..]);
        if (ifd + 2 > tiff.Length)
        {
            return null;
        }

        var count = U16(tiff[(int)ifd..]);
        for (var n = 0; n < count; n++)
        {
            var entry = (int)ifd + 2 + (n * 12);
            if (entry + 12 > tiff.Length)
            {
                return null;
            }

            if (U16(tiff[entry..]) == 0x0112)
            {
                return U16(tiff[(entry + 8)..]);
            }
        }

        return null;
    }

    /// <summary>An APP1 segment with an EXIF block holding only the orientation.</summary>
    private static byte[] OrientationOnlyExif(ushort orientation)
    {
        var segment = new byte[2 + 2 + 6 + 26];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(segment.Length - 2));
        "Exif\0\0"u8.CopyTo(segment.AsSpan(4));
        var tiff = segment.AsSpan(10);
        "MM"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt16BigEndian(tiff[2..], 42);
        BinaryPrimitives.WriteUInt32BigEndian(tiff[4..], 8);
        BinaryPrimitives.WriteUInt16BigEndian(tiff[8..], 1);        // one entry
        BinaryPrimitives.WriteUInt16BigEndian(tiff[10..], 0x0112);  // Orientation
        BinaryPrimitives.WriteUInt16BigEndian(tiff[12..], 3);       // SHORT
        BinaryPrimitives.WriteUInt32BigEndian(tiff[14..], 1);       // count
        BinaryPrimitives.WriteUInt16BigEndian(tiff[18..], orientation);
        BinaryPrimitives.WriteUInt32BigEndian(tiff[22..], 0);       // no next IFD
        return segment;
    }

    private static byte[] StripPng(byte[] data)
    {
        using var output = new MemoryStream(data.Length);
        output.Write(data, 0, 8);
        var i = 8;
        while (i + 12 <= data.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(i));
            if (length < 0 || i + 12 + length > data.Length)
            {
                throw new InvalidDataException("The PNG is damaged (a chunk runs past the end).");
            }

            var type = data.AsSpan(i + 4, 4);
            var drop = type.SequenceEqual("eXIf"u8) || type.SequenceEqual("tEXt"u8) || type.SequenceEqual("zTXt"u8) || type.SequenceEqual("iTXt"u8);
            if (!drop)
            {
                output.Write(data, i, 12 + length);
            }

            i += 12 + length;
            if (type.SequenceEqual("IEND"u8))
            {
                return output.ToArray();
            }
        }

        throw new InvalidDataException("The PNG is damaged (no end chunk).");
    }

    private static byte[] StripWebp(byte[] data)
    {
        using var output = new MemoryStream(data.Length);
        output.Write(data, 0, 12);
        var i = 12;
        while (i + 8 <= data.Length)
        {
            var size = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(i + 4));
            var padded = size + (size & 1);
            if (size < 0 || i + 8 + size > data.Length)
            {
                throw new InvalidDataException("The WebP is damaged (a chunk runs past the end).");
            }

            var type = data.AsSpan(i, 4);
            var take = Math.Min(8 + padded, data.Length - i);
            if (type.SequenceEqual("VP8X"u8))
            {
                var chunk = data.AsSpan(i, take).ToArray();
                chunk[8] &= unchecked((byte)~(0x08 | 0x04)); // no EXIF, no XMP
                output.Write(chunk);
            }
            else if (!type.SequenceEqual("EXIF"u8) && !type.SequenceEqual("XMP "u8))
            {
                output.Write(data, i, take);
            }

            i += take;
        }

        var result = output.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(4), result.Length - 8);
        return result;
    }

    /// <summary>
    /// HEIC/HEIF keeps EXIF and XMP as items whose bytes the 'iloc' box locates; those bytes are overwritten with
    /// zeros in place, so every offset in the file stays valid.
    /// </summary>
    private static byte[] StripHeif(byte[] data)
    {
        var result = (byte[])data.Clone();
        var meta = FindBox(result, 0, result.Length, "meta"u8) ?? throw new InvalidDataException("The HEIF has no 'meta' box.");
        var inner = meta.Start + 12; // full box header
        var metadataItems = new HashSet<uint>();
        if (FindBox(result, inner, meta.End, "iinf"u8) is { } iinf)
        {
            var version = result[iinf.Start + 8];
            var p = iinf.Start + 12 + (version == 0 ? 2 : 4);
            while (FindBox(result, p, iinf.End, "infe"u8) is { } infe)
            {
                var v = result[infe.Start + 8];
                if (v >= 2)
                {
                    var q = infe.Start + 12;
                    var id = v == 2 ? BinaryPrimitives.ReadUInt16BigEndian(result.AsSpan(q)) : BinaryPrimitives.ReadUInt32BigEndian(result.AsSpan(q));
                    q += v == 2 ? 2 : 4;
                    q += 2; // protection index
                    var type = result.AsSpan(q, 4);
                    if (type.SequenceEqual("Exif"u8) || type.SequenceEqual("mime"u8))
                    {
                        metadataItems.Add(id);
                    }
                }

                p = infe.End;
            }
        }

        if (metadataItems.Count == 0 || FindBox(result, inner, meta.End, "iloc"u8) is not { } iloc)
        {
            return result;
        }

        var idat = FindBox(result, inner, meta.End, "idat"u8);
        var ilocVersion = result[iloc.Start + 8];
        var r = iloc.Start + 12;
        var offsetSize = result[r] >> 4;
        var lengthSize = result[r] & 0x0F;
        var baseOffsetSize = result[r + 1] >> 4;
        var indexSize = ilocVersion is 1 or 2 ? result[r + 1] & 0x0F : 0;
        r += 2;
        var itemCount = ilocVersion < 2 ? BinaryPrimitives.ReadUInt16BigEndian(result.AsSpan(r)) : BinaryPrimitives.ReadUInt32BigEndian(result.AsSpan(r));
        r += ilocVersion < 2 ? 2 : 4;
        for (var n = 0; n < itemCount; n++)
        {
            var id = ilocVersion < 2 ? BinaryPrimitives.ReadUInt16BigEndian(result.AsSpan(r)) : BinaryPrimitives.ReadUInt32BigEndian(result.AsSpan(r));
            r += ilocVersion < 2 ? 2 : 4;
            var construction = 0;
            if (ilocVersion is 1 or 2)
            {
                construction = BinaryPrimitives.ReadUInt16BigEndian(result.AsSpan(r)) & 0x0F;
                r += 2;
            }

            r += 2; // data reference index
            var baseOffset = ReadSized(result, ref r, baseOffsetSize);
            var extents = BinaryPrimitives.ReadUInt16BigEndian(result.AsSpan(r));
            r += 2;
            for (var e = 0; e < extents; e++)
            {
                ReadSized(result, ref r, indexSize);
                var offset = ReadSized(result, ref r, offsetSize);
                var length = ReadSized(result, ref r, lengthSize);
                if (!metadataItems.Contains(id))
                {
                    continue;
                }

                var start = construction == 1 && idat is { } box ? box.Start + 8 + (long)baseOffset + (long)offset : (long)baseOffset + (long)offset;
                if (start < 0 || length > (ulong)result.Length || start + (long)length > result.Length)
                {
                    throw new InvalidDataException("The HEIF is damaged (an item runs past the end).");
                }

                result.AsSpan((int)start, (int)length).Clear();
            }
        }

        return result;
    }

    private static ulong ReadSized(byte[] data, ref int position, int size)
    {
        ulong value = size switch
        {
            0 => 0,
            4 => BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(position)),
            8 => BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(position)),
            _ => throw new InvalidDataException($"The HEIF uses an unsupported field size {size}."),
        };
        position += size;
        return value;
    }

    private readonly record struct Box(int Start, int End);

    private static Box? FindBox(byte[] data, int from, int to, ReadOnlySpan<byte> type)
    {
        var p = from;
        while (p + 8 <= to)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(p));
            var header = 8;
            if (size == 1)
            {
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(p + 8));
                header = 16;
            }
            else if (size == 0)
            {
                size = to - p;
            }

            if (size < header || p + size > to)
            {
                throw new InvalidDataException("The HEIF is damaged (a box runs past its parent).");
            }

            if (data.AsSpan(p + 4, 4).SequenceEqual(type))
            {
                return new Box(p, (int)(p + size));
            }

            p += (int)size;
        }

        return null;
    }
}
