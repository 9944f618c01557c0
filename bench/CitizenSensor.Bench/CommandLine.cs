namespace CitizenSensor.Bench;

/// <summary>"--name value" options of the bench tool's subcommands.</summary>
internal static class CommandLine
{
    public static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
