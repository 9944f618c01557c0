namespace CitizenSensor;

/// <summary>
/// Marker for the user-facing texts in <c>Resources/SharedResource.resx</c> (Vietnamese, the default) and
/// <c>SharedResource.en.resx</c> (English).
/// </summary>
public sealed class SharedResource;
