using System.Net.Http.Headers;
using System.Net.Http.Json;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CitizenSensor.Tests;

/// <summary>
/// The whole portal in memory on its own fresh database, driven through HTTP. One per test class
/// (<c>IClassFixture&lt;CitizenApp&gt;</c>); tests in a class share it, so each creates the data it needs.
/// </summary>
public class CitizenApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "Correct-horse-1022";

    /// <summary>The key that seals check-in phones (a fixed test key; production keys come from configuration).</summary>
    public const string DataKey = "dGVzdC1rZXktZm9yLWNpdGl6ZW5zZW5zb3ItdGVzdHMtMzJieXRlcw==";

    private readonly bool _ownsDatabase = true;
    private TestDatabase? _database;
    private int _counter;

    /// <summary>This app's own blob folder, deleted with it.</summary>
    public string BlobFolder { get; } = Directory.CreateTempSubdirectory("cs-blobs-").FullName;

    public CitizenApp()
    {
    }

    /// <summary>An app on a database that somebody else prepared (and will drop).</summary>
    protected internal CitizenApp(TestDatabase database)
    {
        _database = database;
        _ownsDatabase = false;
    }

    /// <summary>The clock the app sees: 20 August 2021, 08:00 in Hồ Chí Minh City.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2021, 8, 20, 1, 0, 0, TimeSpan.Zero));

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The app is not started.");

    public virtual async ValueTask InitializeAsync()
    {
        _database ??= await TestDatabase.CreateAsync();
        StartServer();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(BlobFolder))
        {
            Directory.Delete(BlobFolder, recursive: true);
        }

        if (_database is not null && _ownsDatabase)
        {
            await _database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The address of the real Kestrel server, for a browser (only after <see cref="WebApplicationFactory{T}.UseKestrel()"/>).</summary>
    public Uri ServerAddress => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Database.Provider.ToString());
        builder.UseSetting("ConnectionStrings:CitizenSensor", Database.ConnectionString);
        builder.UseSetting("Database:MigrateOnStart", "true");
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Blobs:Path", BlobFolder);
        builder.UseSetting("Privacy:DataKey", DataKey);
        // Like the SLA check, the tests run the retention job themselves on the fake clock.
        builder.UseSetting("Venues:RetentionEnabled", "false");
        builder.UseSetting("Declarations:RetentionEnabled", "false");
        builder.UseSetting("Tracing:RetentionEnabled", "false");
        builder.UseSetting("Declarations:FollowUpMonitorEnabled", "false");
        // The SLA clock is the fake one; tests run the check themselves instead of racing a timer.
        builder.UseSetting("Reports:Sla:Enabled", "false");
        // The test server answers as http://localhost: links point there (PublicSite).
        builder.UseSetting("Site:PublicBaseUrl", "http://localhost");
        // Every test of an app writes from one address: the limits are off here, and their own tests turn each on.
        foreach (var limit in new[] { "Reports", "Declarations", "PartnerDeclarations", "Following", "CheckIns", "Passes", "VenueRegistrations", "SignIn", "PhoneCheckIns", "VenueCheckIns", "PhoneDeclarations" })
        {
            builder.UseSetting($"RateLimits:{limit}:Permits", "1000000");
        }

        builder.UseSetting("Logging:LogLevel:Default", "Error");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Error");
        // EF logs expected races (two retries with one idempotency key) as errors; the tests assert the outcome.
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Critical");
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time)));
    }

    /// <summary>Creates a staff account directly (test set-up), returning its e-mail.</summary>
    public async Task<StaffUser> CreateStaffAsync(string role, string? unitCode, string? email = null)
    {
        email ??= $"{role.ToLowerInvariant()}-{unitCode?.Replace('@', '-') ?? "all"}-{Interlocked.Increment(ref _counter)}@test.citizensensor.vn";
        await using var scope = Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<StaffAccounts>();
        var outcome = await accounts.CreateAsync(StaffActor.Operator with { Name = "test set-up" }, new CreateStaffRequest(email, $"{role} {unitCode}", Password, role, unitCode));
        return outcome is Outcome<StaffUser>.Done done ? done.Value : throw new InvalidOperationException(outcome.ToString());
    }

    /// <summary>An HTTP client signed in as a new staff member, through the token API as an integration would.</summary>
    public async Task<(HttpClient Client, StaffUser User)> SignedInAsync(string role, string? unitCode)
    {
        var user = await CreateStaffAsync(role, unitCode);
        return (await ClientWithTokenAsync(user.Email!), user);
    }

    public async Task<HttpClient> ClientWithTokenAsync(string email, string password = Password)
    {
        var anonymous = CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<CreatedToken>();
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.Token);
        return client;
    }
}

/// <summary>
/// The same portal served by Kestrel on a free loopback port, for the browser tests. The port is chosen before start so
/// that the portal's public address (the links on posters, QR codes and e-mails) is the one the browser can open.
/// </summary>
public class KestrelCitizenApp : CitizenApp
{
    private readonly int _port = FreePort();

    public KestrelCitizenApp() => UseKestrel(_port);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Site:PublicBaseUrl", $"http://127.0.0.1:{_port}");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
