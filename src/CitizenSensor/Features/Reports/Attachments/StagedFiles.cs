using System.Globalization;
using System.Security.Cryptography;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.DataProtection;

namespace CitizenSensor.Features.Reports.Attachments;

/// <summary>A file the web form kept for the resident while the rest of the form is corrected.</summary>
public sealed record StagedFile(string Token, string Key, string Name, long Length)
{
    /// <summary>What the file is (checked when it was kept; its key carries the type's extension).</summary>
    public MediaType? Type => MediaSniffer.ByExtension(Path.GetExtension(Key));
}

/// <summary>
/// Holds the files the web form accepted while the form as a whole was refused, so the resident need not pick them again.
/// Each is already checked and stripped like an attachment, lies in a folder beside the blobs, and is named to the page by
/// a signed token bound to the browser (its <see cref="OwnerCookie"/>) that expires after <see cref="Lifetime"/>. A token
/// that is forged, expired or another browser's names nothing. <see cref="StagedFileSweep"/> deletes what nobody came back for.
/// </summary>
public sealed class StagedFiles(IDataProtectionProvider protection, TimeProvider time, string root)
{
    /// <summary>The cookie that binds kept files to one browser.</summary>
    public const string OwnerCookie = "cs-form";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    private readonly IDataProtector _protector = protection.CreateProtector("CitizenSensor.Reports.StagedFile");

    public string Root => root;

    /// <summary>A new random owner value for a browser that has none.</summary>
    public static string NewOwner() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Keeps a checked file (its content already stripped) for this owner and returns it with its token.</summary>
    public async Task<StagedFile> StageAsync(PreparedFile file, string owner, CancellationToken cancellationToken)
    {
        var key = $"{Guid.NewGuid():N}{file.Type!.Extension}";
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, key);
        await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        {
            await file.Content!.CopyToAsync(target, cancellationToken);
        }

        File.SetLastWriteTimeUtc(path, time.GetUtcNow().UtcDateTime); // the sweep reads the age on the app's clock

        var name = PlainText.Shorten(Path.GetFileName(file.File.FileName ?? key), 100);
        var until = (time.GetUtcNow() + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return new StagedFile(_protector.Protect($"{key}|{owner}|{until}|{name}"), key, name, file.Length);
    }

    /// <summary>The files these tokens name for this owner, still there and fresh; forged, foreign or expired tokens are skipped.</summary>
    public IReadOnlyList<StagedFile> Resolve(IEnumerable<string?> tokens, string? owner)
    {
        var found = new List<StagedFile>();
        if (string.IsNullOrEmpty(owner))
        {
            return found;
        }

        foreach (var token in tokens.Distinct())
        {
            if (Read(token, owner) is { } file && found.All(f => f.Key != file.Key))
            {
                found.Add(file);
            }
        }

        return found;
    }

    /// <summary>The kept file's content, as an incoming file for the report's intake.</summary>
    public IncomingFile AsIncoming(StagedFile file) =>
        new("files", file.Name, file.Length, () => Open(file));

    /// <summary>The kept file's content, for its owner's preview on the form.</summary>
    public Stream Open(StagedFile file) =>
        new FileStream(Path.Combine(root, file.Key), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);

    public void Delete(IEnumerable<StagedFile> files)
    {
        foreach (var file in files)
        {
            File.Delete(Path.Combine(root, file.Key));
        }
    }

    /// <summary>Deletes kept files older than their tokens' lifetime; returns how many.</summary>
    public int DeleteExpired()
    {
        if (!Directory.Exists(root))
        {
            return 0;
        }

        var cutoff = (time.GetUtcNow() - Lifetime).UtcDateTime;
        var deleted = 0;
        foreach (var file in new DirectoryInfo(root).EnumerateFiles())
        {
            if (file.LastWriteTimeUtc < cutoff)
            {
                file.Delete();
                deleted++;
            }
        }

        return deleted;
    }

    private StagedFile? Read(string? token, string owner)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        string[] parts;
        try
        {
            parts = _protector.Unprotect(token).Split('|', 4);
        }
        catch (CryptographicException)
        {
            return null; // forged, or from another installation
        }

        if (parts.Length != 4 || parts[1] != owner || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var until)
            || time.GetUtcNow().ToUnixTimeSeconds() > until || parts[0].Contains('/', StringComparison.Ordinal) || parts[0].Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }

        var path = Path.Combine(root, parts[0]);
        return File.Exists(path) ? new StagedFile(token, parts[0], parts[3], new FileInfo(path).Length) : null;
    }
}

/// <summary>Deletes the web form's kept files that nobody came back for (every 15 minutes, on each node).</summary>
public sealed class StagedFileSweep(StagedFiles staged, TimeProvider time, ILogger<StagedFileSweep> logger) : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(15);

    public override Task<int> RunOnceAsync(CancellationToken cancellationToken) => Task.FromResult(staged.DeleteExpired());
}
