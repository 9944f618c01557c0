using System.Globalization;
using System.Resources;

namespace CitizenSensor;

/// <summary>
/// Marker for the user-facing texts in <c>Resources/SharedResource.resx</c> (Vietnamese, the default) and
/// <c>SharedResource.en.resx</c> (English).
/// </summary>
public sealed class SharedResource
{
    private static readonly ResourceManager Manager = new("CitizenSensor.Resources.SharedResource", typeof(SharedResource).Assembly);

    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi");

    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    /// <summary>
    /// A text in both languages, Vietnamese first, for messages that leave the portal (Messenger, e-mail) where the
    /// resident's language is not known.
    /// </summary>
    public static string Bilingual(string key, params object?[] arguments) =>
        $"{Format(key, Vietnamese, arguments)}\n{Format(key, English, arguments)}";

    public static string Format(string key, CultureInfo culture, params object?[] arguments) =>
        string.Format(culture, Manager.GetString(key, culture) ?? key, arguments);

    /// <summary>A status's name in both languages ("Đã xử lý / Resolved"), for messages that leave the portal.</summary>
    public static string BilingualStatus(string statusCode) => $"{Status(statusCode, english: false)} / {Status(statusCode, english: true)}";

    public static string Status(string statusCode, bool english) => Manager.GetString("Status_" + statusCode, english ? English : Vietnamese) ?? statusCode;
}
