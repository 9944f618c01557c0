using System.Globalization;

namespace CitizenSensor.Infrastructure;

/// <summary>Amounts of money as people read them on the pages.</summary>
public static class Money
{
    /// <summary>
    /// An amount in đồng in the page's culture: "30.000.000 ₫" in Vietnamese, "30,000,000 ₫" in English. The đồng has
    /// no minor unit, so no decimals; a no-break space keeps the sign with its number on a narrow screen.
    /// </summary>
    public static string Dong(long amount, CultureInfo culture) => amount.ToString("N0", culture) + "\u00A0₫";
}
