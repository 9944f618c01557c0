namespace CitizenSensor.Infrastructure;

/// <summary>
/// A health notice for the resident whose phone opens a public page: tracing found them at the same place as a case
/// (<see cref="Generation"/> 1, an F1) or as an F1 (2). It says the day and until when to stay home; never who, where
/// or when exactly.
/// </summary>
public sealed record ResidentNotice(byte Generation, DateOnly ExposedOn, DateOnly Until);

/// <summary>
/// The notices in force for a phone, asked by the check-in and personal-QR pages (Venues) and answered by tracing, so
/// that neither feature depends on the other.
/// </summary>
public interface IResidentNotices
{
    Task<IReadOnlyList<ResidentNotice>> ForPhoneAsync(string phone, CancellationToken cancellationToken);
}
