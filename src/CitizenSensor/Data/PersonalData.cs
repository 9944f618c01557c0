using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace CitizenSensor.Data;

/// <summary>
/// Encrypts personal data kept in bulk (check-in phones and names) with AES-256-GCM, and makes the keyed hashes
/// (HMAC-SHA-256) that look it up. Both keys derive (HKDF) from one secret, <c>Privacy:DataKey</c> (base64, 32 bytes
/// or more), which every app node shares and which never goes into the database: a stolen database or backup reveals
/// neither the phones nor which rows belong to one person. The embedded SQLite set-up creates a key file next to the
/// database when none is configured.
/// </summary>
public sealed class PersonalData : IDisposable
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _encryptionKey;
    private readonly byte[] _hashKey;

    // One cipher and one HMAC per thread: creating them costs more than using them (≈7 µs against ≈1 µs per phone).
    private readonly ThreadLocal<AesGcm> _aes;
    private readonly ThreadLocal<HMACSHA256> _hmac;

    public PersonalData(byte[] secret)
    {
        if (secret.Length < 32)
        {
            throw new InvalidOperationException("Privacy:DataKey must be at least 32 bytes (base64).");
        }

        _encryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: "citizensensor personal data encryption"u8.ToArray());
        _hashKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: "citizensensor personal data lookup"u8.ToArray());
        _aes = new ThreadLocal<AesGcm>(() => new AesGcm(_encryptionKey, TagSize), trackAllValues: true);
        _hmac = new ThreadLocal<HMACSHA256>(() => new HMACSHA256(_hashKey), trackAllValues: true);
    }

    public byte[] Hash(string value) => _hmac.Value!.ComputeHash(Encoding.UTF8.GetBytes(value));

    /// <summary>
    /// The look-up hash of a value for one purpose ("reporter-phone"): the same phone gives unrelated hashes in
    /// unrelated tables, so the hashes do not join one person's rows across features.
    /// </summary>
    public byte[] Hash(string purpose, string value) => Hash(purpose + ":" + value);

    /// <summary>The sealed form of an optional value: null stays null.</summary>
    public byte[]? Seal(string? value) => value is null ? null : Encrypt(value);

    /// <summary>The value of an optional sealed box: null stays null.</summary>
    public string? Open(byte[]? sealedBox) => sealedBox is null ? null : Decrypt(sealedBox);

    public byte[] Encrypt(string value)
    {
        var plain = Encoding.UTF8.GetBytes(value);
        var sealedBox = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBox.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        _aes.Value!.Encrypt(nonce, plain, sealedBox.AsSpan(NonceSize + TagSize), sealedBox.AsSpan(NonceSize, TagSize));
        return sealedBox;
    }

    public string Decrypt(byte[] sealedBox)
    {
        var plain = new byte[sealedBox.Length - NonceSize - TagSize];
        _aes.Value!.Decrypt(sealedBox.AsSpan(0, NonceSize), sealedBox.AsSpan(NonceSize + TagSize), sealedBox.AsSpan(NonceSize, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }

    public void Dispose()
    {
        foreach (var aes in _aes.Values)
        {
            aes.Dispose();
        }

        foreach (var hmac in _hmac.Values)
        {
            hmac.Dispose();
        }

        _aes.Dispose();
        _hmac.Dispose();
    }

    /// <summary>The configured key; for the embedded database only, a generated key file beside it.</summary>
    public static PersonalData FromConfiguration(IConfiguration configuration, DatabaseOptions database)
    {
        if (configuration["Privacy:DataKey"] is { Length: > 0 } configured)
        {
            return new PersonalData(Convert.FromBase64String(configured));
        }

        if (database.Provider != DatabaseProvider.Sqlite)
        {
            throw new InvalidOperationException(
                "Privacy:DataKey is not set. Every app node needs the same key (32 random bytes, base64: `openssl rand -base64 32`); see docs/operations.md.");
        }

        var dataSource = new SqliteConnectionStringBuilder(configuration.GetConnectionString("CitizenSensor") ?? DatabaseSetup.DefaultSqliteConnection).DataSource;
        var file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataSource))!, "personal-data.key");
        if (!File.Exists(file))
        {
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // readable by the portal's account only
            }

            using var stream = new FileStream(file, create);
            stream.Write(Encoding.ASCII.GetBytes(key));
        }

        return new PersonalData(Convert.FromBase64String(File.ReadAllText(file).Trim()));
    }
}
