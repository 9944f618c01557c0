using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;

namespace CitizenSensor.Infrastructure;

/// <summary>
/// Operator commands, run instead of the web server:
/// <c>migrate</c>, <c>create-admin --email E --password P [--name N]</c>, <c>import-units UNITS.json [BOUNDARIES …] [--set S] [--from D] [--to D] [--name N] [--mapping M]</c>,
/// <c>create-open311-key --name N</c> (prints only the key).
/// </summary>
public sealed class Commands
{
    private static readonly string[] Known = ["migrate", "create-admin", "import-units", "create-open311-key"];

    private readonly string _name;
    private readonly string[] _args;

    private Commands(string name, string[] args)
    {
        _name = name;
        _args = args;
    }

    /// <summary>
    /// Finds the command wherever it stands: <c>--key value</c> and <c>--key=value</c> pairs are settings (host or the
    /// command's options), any other word is the command; after the command, words are its own (import-units' files).
    /// The host gets the settings that are not the command's own options; an unknown word is an error, not the portal.
    /// </summary>
    public static CommandLine Read(string[] args)
    {
        int? at = null;
        for (var i = 0; i < args.Length && at is null; i++)
        {
            if (args[i].StartsWith('-'))
            {
                i += args[i].Contains('=', StringComparison.Ordinal) ? 0 : 1; // skip the option's value
            }
            else if (Known.Contains(args[i]))
            {
                at = i;
            }
            else
            {
                return new CommandLine([], null, $"Unknown command '{args[i]}'. Commands: {string.Join(", ", Known)}; without one, the portal runs.");
            }
        }

        if (at is not { } index)
        {
            return new CommandLine(args, null, null);
        }

        var name = args[index];
        var own = OptionsOf(name);
        List<string> host = [], mine = [];
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (i == index)
            {
                continue;
            }

            var target = arg.StartsWith('-') ? (own.Contains(arg.Split('=')[0]) ? mine : host) : (i > index ? mine : host);
            target.Add(arg);
            if (arg.StartsWith('-') && !arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Length)
            {
                target.Add(args[++i]);
            }
        }

        return new CommandLine([.. host], new Commands(name, [.. mine]), null);
    }

    /// <summary>The options a command reads itself (the rest are the host's settings, such as --contentRoot).</summary>
    private static string[] OptionsOf(string command) => command switch
    {
        "create-admin" => ["--email", "--password", "--name"],
        "create-open311-key" => ["--name"],
        "import-units" => ["--set", "--from", "--to", "--name", "--mapping"],
        _ => [],
    };

    /// <summary>The command's name and its own arguments, for the tests.</summary>
    public string Name => _name;

    public IReadOnlyList<string> Arguments => _args;

    /// <summary>Operator commands keep standard output for their answer (a key, a summary); logs go to standard error.</summary>
    public static void Configure(WebApplicationBuilder builder) =>
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

    public async Task<int> RunAsync(WebApplication app)
    {
        try
        {
            return _name switch
            {
                "migrate" => await MigrateAsync(app),
                "create-admin" => await CreateAdminAsync(app),
                "create-open311-key" => await CreateOpen311KeyAsync(app),
                _ => await ImportUnitsAsync(app),
            };
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"{_name}: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> MigrateAsync(WebApplication app)
    {
        await app.PrepareAsync(migrate: true);
        Console.WriteLine("Database migrated; roles and shipped units are in place.");
        return 0;
    }

    private async Task<int> CreateAdminAsync(WebApplication app)
    {
        var email = Option("--email");
        var password = Option("--password");
        if (email is null || password is null)
        {
            await Console.Error.WriteLineAsync("usage: create-admin --email E --password P [--name N]");
            return 2;
        }

        await app.PrepareAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<StaffAccounts>();
        var outcome = await accounts.CreateAsync(Features.Staff.StaffActor.Operator, new CreateStaffRequest(email, Option("--name") ?? "Administrator", password, StaffRoles.Admin, UnitCode: null));
        if (outcome.IsRefused(out var message, out _))
        {
            await Console.Error.WriteLineAsync("create-admin: " + message);
            return 1;
        }

        Console.WriteLine($"Administrator {email} created.");
        return 0;
    }

    private async Task<int> CreateOpen311KeyAsync(WebApplication app)
    {
        var name = Option("--name");
        await app.PrepareAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<Features.Channels.Open311.Open311Keys>();
        var outcome = await keys.IssueAsync(Features.Staff.StaffActor.Operator, name, CancellationToken.None);
        if (outcome.IsRefused(out var problem, out _))
        {
            await Console.Error.WriteLineAsync($"usage: create-open311-key --name N   (2 to 100 characters, plain text): {problem}");
            return 2;
        }

        Console.WriteLine(((Outcome<Features.Channels.Open311.IssuedOpen311Key>.Done)outcome).Value.Key); // only the key, so that scripts can capture it
        return 0;
    }

    private const string ImportUsage = "usage: import-units UNITS.json [BOUNDARIES.json|FOLDER …] [--set ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--name N] [--mapping merges.json]";

    private async Task<int> ImportUnitsAsync(WebApplication app)
    {
        var files = FileArguments();
        if (files.Length == 0 || !TryDate("--from", out var from) || !TryDate("--to", out var to))
        {
            await Console.Error.WriteLineAsync(ImportUsage);
            return 2;
        }

        await app.PrepareAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<UnitImporter>();
        var setId = Option("--set") ?? await importer.CurrentSetIdAsync(CancellationToken.None);
        var set = new UnitSetRecord(setId, Option("--name"), from, to);
        var result = await importer.ImportFilesAsync(set, files[0], files[1..], Option("--mapping"), CancellationToken.None);
        Console.WriteLine($"Imported {files[0]} into {result}. Records keep their units. Restart running app nodes to load them.");
        return 0;
    }

    /// <summary>The command's words that are not options nor their values: import-units' files.</summary>
    private string[] FileArguments()
    {
        var files = new List<string>();
        for (var i = 0; i < _args.Length; i++)
        {
            if (_args[i].StartsWith("--", StringComparison.Ordinal))
            {
                i += _args[i].Contains('=', StringComparison.Ordinal) ? 0 : 1;
            }
            else
            {
                files.Add(_args[i]);
            }
        }

        return [.. files];
    }

    private bool TryDate(string name, out DateOnly? date)
    {
        date = null;
        if (Option(name) is not { } text)
        {
            return true;
        }

        var ok = DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day);
        date = ok ? day : null;
        return ok;
    }

    private string? Option(string name)
    {
        var inline = _args.FirstOrDefault(a => a.StartsWith(name + "=", StringComparison.Ordinal));
        if (inline is not null)
        {
            return inline[(name.Length + 1)..];
        }

        var index = Array.IndexOf(_args, name);
        return index >= 0 && index + 1 < _args.Length ? _args[index + 1] : null;
    }
}

/// <summary>The arguments read: the host's settings, the operator command if one was named, or why they cannot be run.</summary>
public sealed record CommandLine(string[] HostArgs, Commands? Command, string? Error);
