namespace CitizenSensor.Features.Declarations;

/// <summary>Opening a person's health data needs a reason, which goes into the audit trail.</summary>
public static class AccessReason
{
    public const int Min = 5;
    public const int Max = 200;

    /// <summary>Null when the reason will do; else what is wrong with it.</summary>
    public static string? Problem(string? reason) =>
        reason?.Trim() is { Length: >= Min and <= Max } trimmed && Infrastructure.PlainText.FindMarkup(trimmed) is null
            ? null
            : $"Say why you open this person's data in 'reason' ({Min} to {Max} characters of plain text); it goes into the audit trail.";
}
