using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Tracing;

/// <summary>How two stays at one venue are judged: the rules of the systems a city may follow (docs/tracing.md).</summary>
public enum ExposureMatch : byte
{
    /// <summary>Any overlap of the two stays (NHS COVID-19, NZ COVID Tracer, CrowdNotifier).</summary>
    AnyOverlap = 1,

    /// <summary>A scan at the same venue within ±N minutes of the case's scan (PC-Covid, Viet Nam, from 2/2022).</summary>
    ScanWithin = 2,

    /// <summary>
    /// Corona-Warn-App: stays shorter than a minimum are dropped, the case's stay is extended by its own length (at most
    /// an aerosol tail), and the overlap minutes are weighted by the venue kind's transmission risk; a weighted total at
    /// or above a threshold is high risk.
    /// </summary>
    WeightedOverlap = 3,
}

/// <summary>
/// The values of one version of a city's exposure rules. <see cref="LookBackDays"/> counts back from the case's onset
/// (or test) day; <see cref="DefaultStayMinutes"/> is a stay's length when it has no check-out, unless the person's next
/// check-in comes earlier (Singapore's inference). An F1 is quarantined <see cref="QuarantineDays"/> from the day of the
/// last contact, an F2 monitored at home <see cref="SecondQuarantineDays"/>. A venue, or a ward where cases isolate,
/// with <see cref="ClusterCases"/> cases or more within <see cref="ClusterDays"/> is flagged as a cluster.
/// </summary>
public sealed record ExposureRules(
    int LookBackDays,
    ExposureMatch Match,
    int WindowMinutes,
    int MinimumStayMinutes,
    int AerosolTailMaxMinutes,
    double HighRiskMinutes,
    int DefaultStayMinutes,
    IReadOnlyDictionary<string, double> KindWeights,
    int QuarantineDays = 14,
    int SecondQuarantineDays = 7,
    int ClusterCases = 2,
    int ClusterDays = 14)
{
    public const int MaxMinutes = 24 * 60;
    public const double MaxWeight = 10;
    public const int MaxQuarantineDays = 60;

    /// <summary>The defaults, with their sources in docs/tracing.md: 14 days back, any overlap, a 60-minute stay by default, 14 days of quarantine for an F1 and 7 of home monitoring for an F2.</summary>
    public static ExposureRules Default { get; } = new(14, ExposureMatch.AnyOverlap, 60, 10, 30, 10, 60, new Dictionary<string, double>(StringComparer.Ordinal));

    /// <summary>The days of quarantine (F1) or home monitoring (F2) for an exposure of this generation.</summary>
    public int QuarantineDaysFor(byte generation) => generation == 1 ? QuarantineDays : SecondQuarantineDays;

    /// <summary>The transmission-risk weight of a venue kind (1 when the rules name none for it).</summary>
    public double WeightOf(string kind) => KindWeights.TryGetValue(kind, out var weight) ? weight : 1;

    /// <summary>What is wrong with the values, field by field; none when they will do. The look-back never reaches past what retention keeps.</summary>
    public Dictionary<string, string[]> Problems(int retentionDays)
    {
        var errors = new Dictionary<string, string[]>();
        if (LookBackDays < 1 || LookBackDays > retentionDays)
        {
            errors["lookBackDays"] = [$"'lookBackDays' is 1 to {retentionDays} (check-ins are kept {retentionDays} days)."];
        }

        if (!Enum.IsDefined(Match))
        {
            errors["match"] = ["'match' is any-overlap, scan-within or weighted-overlap."];
        }

        Minutes("windowMinutes", WindowMinutes, errors);
        Minutes("minimumStayMinutes", MinimumStayMinutes, errors);
        Minutes("aerosolTailMaxMinutes", AerosolTailMaxMinutes, errors);
        Minutes("defaultStayMinutes", DefaultStayMinutes, errors, min: 1);
        if (!double.IsFinite(HighRiskMinutes) || HighRiskMinutes < 0 || HighRiskMinutes > MaxMinutes)
        {
            errors["highRiskMinutes"] = [$"'highRiskMinutes' is 0 to {MaxMinutes}."];
        }

        if (QuarantineDays is < 0 or > MaxQuarantineDays)
        {
            errors["quarantineDays"] = [$"'quarantineDays' is 0 to {MaxQuarantineDays} days."];
        }

        if (SecondQuarantineDays is < 0 or > MaxQuarantineDays)
        {
            errors["secondQuarantineDays"] = [$"'secondQuarantineDays' is 0 to {MaxQuarantineDays} days."];
        }

        if (ClusterCases is < 2 or > 1000)
        {
            errors["clusterCases"] = ["'clusterCases' is 2 to 1000 cases."];
        }

        if (ClusterDays is < 1 or > MaxQuarantineDays)
        {
            errors["clusterDays"] = [$"'clusterDays' is 1 to {MaxQuarantineDays} days."];
        }

        foreach (var (kind, weight) in KindWeights)
        {
            if (kind.Length is 0 or > 40 || !double.IsFinite(weight) || weight < 0 || weight > MaxWeight)
            {
                errors["kindWeights"] = [string.Create(CultureInfo.InvariantCulture, $"Each weight names a venue kind (1 to 40 characters) and is 0 to {MaxWeight}.")];
            }
        }

        return errors;
    }

    private static void Minutes(string field, int value, Dictionary<string, string[]> errors, int min = 0)
    {
        if (value < min || value > MaxMinutes)
        {
            errors[field] = [$"'{field}' is {min} to {MaxMinutes} minutes."];
        }
    }
}

/// <summary>
/// One version of a city's exposure rules, as the Admin saved it. Versions are never changed: a save adds the next
/// one, and each trace records the version it used.
/// </summary>
public sealed class ExposureRuleVersion
{
    public long Id { get; set; }

    /// <summary>The city's GSO code ("79"), the same in every unit set.</summary>
    public required string CityCode { get; set; }

    public int Version { get; set; }

    public int LookBackDays { get; set; }

    public ExposureMatch Match { get; set; }

    public int WindowMinutes { get; set; }

    public int MinimumStayMinutes { get; set; }

    public int AerosolTailMaxMinutes { get; set; }

    public double HighRiskMinutes { get; set; }

    public int DefaultStayMinutes { get; set; }

    /// <summary>Venue kind → weight, as JSON.</summary>
    public string KindWeights { get; set; } = "{}";

    public int QuarantineDays { get; set; } = ExposureRules.Default.QuarantineDays;

    public int SecondQuarantineDays { get; set; } = ExposureRules.Default.SecondQuarantineDays;

    public int ClusterCases { get; set; } = ExposureRules.Default.ClusterCases;

    public int ClusterDays { get; set; } = ExposureRules.Default.ClusterDays;

    public DateTimeOffset SavedAt { get; set; }

    public required string SavedBy { get; set; }

    public ExposureRules Values => new(LookBackDays, Match, WindowMinutes, MinimumStayMinutes, AerosolTailMaxMinutes, HighRiskMinutes, DefaultStayMinutes,
        JsonSerializer.Deserialize<Dictionary<string, double>>(KindWeights) ?? [], QuarantineDays, SecondQuarantineDays, ClusterCases, ClusterDays);

    public static ExposureRuleVersion Of(string cityCode, int version, ExposureRules rules, DateTimeOffset at, string by) => new()
    {
        CityCode = cityCode,
        Version = version,
        LookBackDays = rules.LookBackDays,
        Match = rules.Match,
        WindowMinutes = rules.WindowMinutes,
        MinimumStayMinutes = rules.MinimumStayMinutes,
        AerosolTailMaxMinutes = rules.AerosolTailMaxMinutes,
        HighRiskMinutes = rules.HighRiskMinutes,
        DefaultStayMinutes = rules.DefaultStayMinutes,
        KindWeights = JsonSerializer.Serialize(rules.KindWeights),
        QuarantineDays = rules.QuarantineDays,
        SecondQuarantineDays = rules.SecondQuarantineDays,
        ClusterCases = rules.ClusterCases,
        ClusterDays = rules.ClusterDays,
        SavedAt = at,
        SavedBy = by,
    };
}

internal sealed class ExposureRuleVersionConfiguration : IEntityTypeConfiguration<ExposureRuleVersion>
{
    public void Configure(EntityTypeBuilder<ExposureRuleVersion> builder)
    {
        builder.ToTable("ExposureRuleVersions");
        builder.Property(r => r.CityCode).HasMaxLength(16);
        builder.Property(r => r.KindWeights).HasMaxLength(4000);
        builder.Property(r => r.SavedBy).HasMaxLength(200);
        builder.HasIndex(r => new { r.CityCode, r.Version }).IsUnique();
    }
}

/// <summary>One person's time at a venue: the scan, the check-out if any, and that person's next scan anywhere.</summary>
public readonly record struct Stay(DateTimeOffset From, DateTimeOffset? CheckOut, DateTimeOffset? NextScan)
{
    /// <summary>The check-out; without one, the default stay or the next scan, whichever is earlier.</summary>
    public DateTimeOffset End(int defaultStayMinutes)
    {
        var byDefault = From.AddMinutes(defaultStayMinutes);
        var end = CheckOut ?? (NextScan is { } next && next < byDefault ? next : byDefault);
        return end < From ? From : end;
    }
}

/// <summary>An exposure found: the shared window, its minutes, the score the rule gives it, and whether it is high risk.</summary>
public sealed record ExposureJudgement(DateTimeOffset From, DateTimeOffset To, double OverlapMinutes, double Score, bool HighRisk);

/// <summary>The rules applied to two stays at one venue: the case's (the source) and another person's.</summary>
public static class ExposureJudge
{
    /// <summary>When a case's stay made the venue risky: the stay, and under the weighted rule the aerosol tail after it.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) RiskyWindow(ExposureRules rules, Stay source)
    {
        var to = source.End(rules.DefaultStayMinutes);
        return rules.Match == ExposureMatch.WeightedOverlap ? (source.From, to.AddMinutes(Math.Min((to - source.From).TotalMinutes, rules.AerosolTailMaxMinutes))) : (source.From, to);
    }

    public static ExposureJudgement? Judge(ExposureRules rules, Stay source, Stay contact, string venueKind)
    {
        var (sourceFrom, sourceTo) = (source.From, source.End(rules.DefaultStayMinutes));
        var (contactFrom, contactTo) = (contact.From, contact.End(rules.DefaultStayMinutes));
        switch (rules.Match)
        {
            case ExposureMatch.ScanWithin:
                {
                    var gap = Math.Abs((contactFrom - sourceFrom).TotalMinutes);
                    if (gap > rules.WindowMinutes)
                    {
                        return null;
                    }

                    var overlap = Overlap(sourceFrom, sourceTo, contactFrom, contactTo);
                    return new ExposureJudgement(Min(sourceFrom, contactFrom), Max(sourceFrom, contactFrom), overlap, Math.Round(rules.WindowMinutes - gap, 1), HighRisk: true);
                }

            case ExposureMatch.WeightedOverlap:
                {
                    var sourceMinutes = (sourceTo - sourceFrom).TotalMinutes;
                    if (sourceMinutes < rules.MinimumStayMinutes || (contactTo - contactFrom).TotalMinutes < rules.MinimumStayMinutes)
                    {
                        return null;
                    }

                    var riskyTo = sourceTo.AddMinutes(Math.Min(sourceMinutes, rules.AerosolTailMaxMinutes)); // the air stays risky after the case leaves
                    var (from, to) = (Max(sourceFrom, contactFrom), Min(riskyTo, contactTo));
                    if (to <= from)
                    {
                        return null;
                    }

                    var minutes = (to - from).TotalMinutes;
                    var weighted = Math.Round(minutes * rules.WeightOf(venueKind), 1);
                    return new ExposureJudgement(from, to, Math.Round(minutes, 1), weighted, weighted >= rules.HighRiskMinutes);
                }

            default:
                {
                    var (from, to) = (Max(sourceFrom, contactFrom), Min(sourceTo, contactTo));
                    if (to <= from)
                    {
                        return null; // stays that only touch share no time
                    }

                    var minutes = Math.Round((to - from).TotalMinutes, 1);
                    return new ExposureJudgement(from, to, minutes, minutes, HighRisk: true);
                }
        }
    }

    private static double Overlap(DateTimeOffset aFrom, DateTimeOffset aTo, DateTimeOffset bFrom, DateTimeOffset bTo) =>
        Math.Round(Math.Max(0, (Min(aTo, bTo) - Max(aFrom, bFrom)).TotalMinutes), 1);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
