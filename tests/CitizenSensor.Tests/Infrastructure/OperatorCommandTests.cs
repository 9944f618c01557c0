using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CitizenSensor.Features.Staff;

namespace CitizenSensor.Tests.Infrastructure;

/// <summary>
/// The operator commands, run as a real process the way an operator types them
/// (<c>dotnet CitizenSensor.dll migrate | create-admin | import-units</c>), then checked through the HTTP API.
/// </summary>
public sealed class OperatorCommandTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private string _migrateOutput = "";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        var migrate = await RunAsync("migrate");
        Assert.True(migrate.ExitCode == 0, migrate.Output);
        Assert.Contains("Database migrated", migrate.Output, StringComparison.Ordinal);
        _migrateOutput = migrate.Output;
    }

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public void A_database_without_an_admin_says_how_to_create_one() =>
        Assert.Contains("create-admin --email", _migrateOutput, StringComparison.Ordinal);

    [Fact]
    public async Task Create_admin_makes_an_account_that_can_sign_in_as_admin()
    {
        var result = await RunAsync("create-admin", "--email", "chief@test.citizensensor.vn", "--password", "A-long-enough-secret", "--name", "Chánh văn phòng");
        Assert.True(result.ExitCode == 0, result.Output);

        await using var app = new CitizenApp(_database);
        await app.InitializeAsync();
        var client = await app.ClientWithTokenAsync("chief@test.citizensensor.vn", "A-long-enough-secret");
        var me = await (await client.GetAsync("/api/v1/staff/me", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(["Admin"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("Chánh văn phòng", me.Str("displayName"));
        var audit = await (await client.GetAsync("/api/v1/staff/audit?entityType=staff-user&entityId=" + me.Str("id"), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("command line", Assert.Single(audit.EnumerateArray(), a => a.Str("action") == "staff.create").Str("actor"));
    }

    [Fact]
    public async Task Create_open311_key_prints_only_a_key_that_works()
    {
        var result = await RunAsync("create-open311-key", "--name", "Ứng dụng Y tế HCM");
        Assert.True(result.ExitCode == 0, result.Output);
        var key = result.StandardOutput.Trim();
        Assert.Matches("^o311_[A-Za-z0-9_-]{32}$", key);

        await using var app = new CitizenApp(_database);
        await app.InitializeAsync();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["api_key"] = key,
            ["service_code"] = "general",
            ["description"] = "Quán cà phê vẫn cho khách ngồi uống tại chỗ, đông người",
            ["address_string"] = "phường Bến Nghé, quận 1",
        });
        var response = await app.CreateClient().PostAsync("/open311/v2/requests.json", form, Cancel);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        // Issued from the command line, and audited as such.
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var audit = await (await admin.GetAsync("/api/v1/staff/audit?entityType=open311-client&entityId=" + Uri.EscapeDataString("Ứng dụng Y tế HCM"), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(audit.EnumerateArray(), a => a.Str("action") == "open311-key.issue" && a.Str("actor") == "command line");

        var usage = await RunAsync("create-open311-key");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("usage: create-open311-key", usage.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_admin_refuses_a_weak_password_and_missing_arguments()
    {
        var weak = await RunAsync("create-admin", "--email", "weak@test.citizensensor.vn", "--password", "123");
        Assert.Equal(1, weak.ExitCode);
        Assert.Contains("Passwords must be at least 10 characters", weak.Output, StringComparison.Ordinal);

        var usage = await RunAsync("create-admin", "--email", "nopassword@test.citizensensor.vn");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("usage: create-admin", usage.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_units_loads_a_city_with_only_two_levels()
    {
        // After July 2025 a province has communes directly under it: the hierarchy is data, not code.
        var folder = Directory.CreateTempSubdirectory("cs-import-").FullName;
        var units = Path.Combine(folder, "units.json");
        var boundaries = Path.Combine(folder, "gis.json");
        await File.WriteAllTextAsync(units, JsonSerializer.Serialize(new
        {
            data = new[]
            {
                new
                {
                    level1_id = "96", name = "Tỉnh Cà Mau", type = "Tỉnh",
                    level2s = new[]
                    {
                        new { level2_id = "32248", name = "Xã Đất Mũi", type = "Xã" },
                        new { level2_id = "32249", name = "Phường An Xuyên", type = "Phường" },
                    },
                },
            },
        }), Cancel);
        await File.WriteAllTextAsync(boundaries, JsonSerializer.Serialize(new
        {
            level1_id = "96",
            name = "Tỉnh Cà Mau",
            type = "Polygon",
            coordinates = Square(104.6, 8.5, 105.4, 9.6),
            level2s = new object[]
            {
                new { level2_id = "32248", name = "Xã Đất Mũi", type = "Polygon", coordinates = Square(104.7, 8.55, 104.9, 8.7) },
                new { level2_id = "32249", name = "Phường An Xuyên", type = "Polygon", coordinates = Square(105.1, 9.1, 105.2, 9.2) },
            },
        }), Cancel);

        var result = await RunAsync("import-units", units, boundaries, "--set", "2021");
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("set 2021: 3 added", result.Output, StringComparison.Ordinal);

        await using var app = new CitizenApp(_database);
        await app.InitializeAsync();
        var client = app.CreateClient();
        var commune = await (await client.GetAsync("/api/v1/units/32248", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, commune.GetProperty("level").GetInt32());
        Assert.Equal("96", commune.GetProperty("parent").Str("code"));

        var resolved = await (await client.GetAsync("/api/v1/units/resolve?lat=8.6&lng=104.8", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("96", resolved.GetProperty("province").Str("code"));
        Assert.Equal("32248", resolved.GetProperty("unit").Str("code"));

        var gap = await client.GetAsync("/api/v1/units/resolve?lat=9.4&lng=105.0", Cancel);
        Assert.Equal("in-no-unit", (await gap.ReadProblemAsync(HttpStatusCode.NotFound)).Str("reason"));

        var matched = await (await client.GetAsync("/api/v1/units/match?address=" + Uri.EscapeDataString("ap Khai Long, xa Dat Mui, Ca Mau"), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("32248", matched.GetProperty("unit").Str("code"));

        // The shipped cities are untouched.
        var hoanKiem = await (await client.GetAsync("/api/v1/units/resolve?lat=21.0288&lng=105.8525", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("002", hoanKiem.GetProperty("unit").Str("code"));
    }

    [Fact]
    public async Task Import_units_rejects_a_malformed_file_and_writes_nothing()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("cs-import-").FullName, "orphans.json");
        await File.WriteAllTextAsync(file, """{ "data": [ { "level1_id": "97", "name": "Tỉnh X", "type": "Tỉnh", "level2s": [ { "name": "no id", "type": "Xã" } ] } ] }""", Cancel);

        var result = await RunAsync("import-units", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("level2_id", result.Output, StringComparison.Ordinal);

        await using var app = new CitizenApp(_database);
        await app.InitializeAsync();
        var response = await app.CreateClient().GetAsync("/api/v1/units/97", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // nothing half-written
    }

    private static double[][][] Square(double west, double south, double east, double north) =>
        [[[west, south], [east, south], [east, north], [west, north], [west, south]]];

    /// <summary>Runs the command; Output is everything it wrote, StandardOutput what a script would capture.</summary>
    private async Task<(int ExitCode, string Output, string StandardOutput)> RunAsync(params string[] arguments)
    {
        var app = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(app)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(app);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Database__Provider"] = _database.Provider.ToString();
        start.Environment["ConnectionStrings__CitizenSensor"] = _database.ConnectionString;
        start.Environment["Demo__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Cancel);
        var error = process.StandardError.ReadToEndAsync(Cancel);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error, await output);
    }
}

/// <summary>How the arguments are read: the command wherever it stands, host settings apart, an unknown word refused.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void A_command_after_host_settings_is_found_and_the_settings_go_to_the_host()
    {
        var line = CitizenSensor.Infrastructure.Commands.Read(["--contentRoot", "/srv/cs", "create-open311-key", "--name", "Ứng dụng", "--environment=Production"]);

        Assert.Null(line.Error);
        Assert.Equal("create-open311-key", line.Command!.Name);
        Assert.Equal(["--name", "Ứng dụng"], line.Command.Arguments);
        Assert.Equal(["--contentRoot", "/srv/cs", "--environment=Production"], line.HostArgs);
    }

    [Fact]
    public void Options_before_the_command_and_files_after_it_belong_to_the_command()
    {
        var admin = CitizenSensor.Infrastructure.Commands.Read(["--email", "a@b.vn", "--password=secret-long", "create-admin"]);
        Assert.Equal(["--email", "a@b.vn", "--password=secret-long"], admin.Command!.Arguments);
        Assert.Empty(admin.HostArgs);

        var import = CitizenSensor.Infrastructure.Commands.Read(["--contentRoot=/srv", "import-units", "/data/units.json", "/data/boundaries.json"]);
        Assert.Equal(["/data/units.json", "/data/boundaries.json"], import.Command!.Arguments);
        Assert.Equal(["--contentRoot=/srv"], import.HostArgs);
    }

    [Fact]
    public void A_value_that_looks_like_a_command_stays_a_value()
    {
        var line = CitizenSensor.Infrastructure.Commands.Read(["--name", "migrate", "create-open311-key"]);

        Assert.Equal("create-open311-key", line.Command!.Name);
        Assert.Equal(["--name", "migrate"], line.Command.Arguments);
    }

    [Fact]
    public void Without_a_command_the_portal_runs_with_every_argument_and_an_unknown_word_is_an_error()
    {
        var portal = CitizenSensor.Infrastructure.Commands.Read(["--urls", "http://+:8080", "--environment=Development"]);
        Assert.Null(portal.Command);
        Assert.Null(portal.Error);
        Assert.Equal(["--urls", "http://+:8080", "--environment=Development"], portal.HostArgs);

        var typo = CitizenSensor.Infrastructure.Commands.Read(["--contentRoot", "/srv", "create-open311-keys"]);
        Assert.Null(typo.Command);
        Assert.Contains("create-open311-keys", typo.Error, StringComparison.Ordinal);
        Assert.Contains("create-open311-key", typo.Error!.Replace("create-open311-keys", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
