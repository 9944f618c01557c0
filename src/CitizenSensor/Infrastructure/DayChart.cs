namespace CitizenSensor.Infrastructure;

/// <summary>A bar chart of one value per day (<c>Pages/Shared/_DayChart.cshtml</c>): plain SVG, no script.</summary>
public sealed record DayChart(string Id, string Title, IReadOnlyList<DateOnly> Days, IReadOnlyList<int> Values);
