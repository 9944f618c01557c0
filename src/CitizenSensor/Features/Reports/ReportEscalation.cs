namespace CitizenSensor.Features.Reports;

/// <summary>
/// Where an overdue report goes, so that it never lands back on the desk that let it run late: a report the triage
/// desk did not forward in time goes to the city's administrators (the desk's supervisors); a routed report without a
/// result by its due time goes to the city's triage desk, which can chase the unit, route it elsewhere or answer it.
/// </summary>
public static class ReportEscalation
{
    /// <summary>The city's triage desk (CityTriage).</summary>
    public const string TriageDesk = "triage-desk";

    /// <summary>The city's administrators, who supervise the triage desk (Admin).</summary>
    public const string Administrators = "administrators";

    /// <summary>Who takes an overdue report in this status.</summary>
    public static string For(ReportStatus status) =>
        status is ReportStatus.Received or ReportStatus.NeedsTriage ? Administrators : TriageDesk;
}
