using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Declarations;

/// <summary>Symptoms of the last 14 days, as flags (the figures and the follow-up rule read them without decrypting).</summary>
[Flags]
public enum Symptoms
{
    None = 0,
    Fever = 1,
    Cough = 2,
    BreathingDifficulty = 4,
    SoreThroat = 8,
    Fatigue = 16,
    LossOfTasteSmell = 32,
    Other = 64,

    /// <summary>The seed's "cough, fever or difficulty breathing": these make a declaration symptomatic.</summary>
    Warning = Fever | Cough | BreathingDifficulty,
}

/// <summary>Exposures of the last 14 days, as flags.</summary>
[Flags]
public enum Exposures
{
    None = 0,
    ContactConfirmed = 1,
    ContactSuspected = 2,
    OutbreakArea = 4,
    ContactSymptomatic = 8,
}

/// <summary>How a reporting day is cut: the city's calendar day, or the seed's "12:00 the day before to 12:00".</summary>
public enum ReportingDay : byte
{
    Calendar = 1,

    /// <summary>From 12:00 the day before to 12:00 on the day (the seed's Hà Nội figures of 23/9/2021).</summary>
    NoonToNoon = 2,
}

/// <summary>
/// One electronic health declaration. Everything that identifies or describes the person (name, phone, citizen ID,
/// address, places, conditions, the answers to added questions) is in <see cref="Payload"/>, sealed with AES-GCM;
/// what the figures and the follow-up need stays readable: the ward, the symptom and exposure flags, the source. A
/// person's declarations on one day are versions 1, 2, … of that day. Deleted after the retention window; the
/// figures live on in <see cref="DeclarationDay"/>.
/// </summary>
public sealed class Declaration : IUnitScoped
{
    public long Id { get; set; }

    public int QuestionnaireVersion { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The city's calendar day of <see cref="At"/>: versions are counted per person and calendar day.</summary>
    public DateOnly Day { get; set; }

    public int Version { get; set; }

    /// <summary>Keyed hash (HMAC) of the phone and the name: one person's declarations, without decrypting.</summary>
    public required byte[] PersonHash { get; set; }

    /// <summary>The answers as JSON (<see cref="DeclarationPayload"/>), sealed with AES-GCM.</summary>
    public required byte[] Payload { get; set; }

    public required string WardCode { get; set; }

    public required string DistrictCode { get; set; }

    public required string UnitPath { get; set; }

    public Symptoms Symptoms { get; set; }

    public Exposures Exposures { get; set; }

    /// <summary><c>web</c>, <c>app</c>, or a partner's source name.</summary>
    public required string Source { get; set; }

    /// <summary>The keyed hash that stands for one person in declarations and follow-ups: their phone with their name, folded.</summary>
    public static byte[] PersonOf(Data.PersonalData personal, string phone, string fullName) => personal.Hash(phone + "\n" + VietnameseText.Fold(fullName));

    /// <summary>The reporting day of an instant, under either definition.</summary>
    public static DateOnly ReportingDayOf(DateTimeOffset at, ReportingDay definition) =>
        CityTime.DayOf(definition == ReportingDay.NoonToNoon ? at.AddHours(12) : at);
}

/// <summary>
/// A person on a reporting day, under each day definition: how many declarations they made, and whether any made them
/// symptomatic or exposed. The writer upserts these to count each person once per day whatever the number of versions.
/// The <c>…Batch</c> columns hold the id of the batch that set the flag, which tells the writer whether its batch was
/// the one that turned it on. Deleted with the declarations.
/// </summary>
public sealed class DeclarationPersonDay
{
    public ReportingDay Definition { get; set; }

    public DateOnly Day { get; set; }

    public required byte[] PersonHash { get; set; }

    public required string WardCode { get; set; }

    public required string DistrictCode { get; set; }

    /// <summary>The source of the person's first declaration that day.</summary>
    public required string Source { get; set; }

    public int Declarations { get; set; }

    public bool Symptomatic { get; set; }

    public string? SymptomaticSource { get; set; }

    public long? SymptomaticBatch { get; set; }

    public bool Exposed { get; set; }

    public long? ExposedBatch { get; set; }
}

/// <summary>
/// The figures per reporting day (under each definition), ward and source: people who declared, how many were
/// symptomatic and exposed, and all submissions. Updated in the declarations' transaction, kept after they are deleted.
/// </summary>
public sealed class DeclarationDay
{
    public ReportingDay Definition { get; set; }

    public DateOnly Day { get; set; }

    public required string WardCode { get; set; }

    public required string Source { get; set; }

    public required string DistrictCode { get; set; }

    public int People { get; set; }

    public int Symptomatic { get; set; }

    public int Exposed { get; set; }

    public int Submissions { get; set; }
}

internal sealed class DeclarationConfiguration : IEntityTypeConfiguration<Declaration>
{
    public void Configure(EntityTypeBuilder<Declaration> builder)
    {
        builder.ToTable("Declarations");
        builder.Property(d => d.PersonHash).HasMaxLength(32);
        builder.Property(d => d.WardCode).HasMaxLength(16);
        builder.Property(d => d.DistrictCode).HasMaxLength(16);
        builder.Property(d => d.UnitPath).HasMaxLength(256);
        builder.Property(d => d.Source).HasMaxLength(40);
        // Only the retention job's index: every other one would cost each insert a random-order write. A person's
        // declarations of a day are found through DeclarationPersonDays.
        builder.HasIndex(d => d.At);
    }
}

internal sealed class DeclarationPersonDayConfiguration : IEntityTypeConfiguration<DeclarationPersonDay>
{
    public void Configure(EntityTypeBuilder<DeclarationPersonDay> builder)
    {
        builder.ToTable("DeclarationPersonDays");
        builder.HasKey(d => new { d.Definition, d.Day, d.PersonHash });
        builder.Property(d => d.PersonHash).HasMaxLength(32);
        builder.Property(d => d.WardCode).HasMaxLength(16);
        builder.Property(d => d.DistrictCode).HasMaxLength(16);
        builder.Property(d => d.Source).HasMaxLength(40);
        builder.Property(d => d.SymptomaticSource).HasMaxLength(40);
    }
}

internal sealed class DeclarationDayConfiguration : IEntityTypeConfiguration<DeclarationDay>
{
    public void Configure(EntityTypeBuilder<DeclarationDay> builder)
    {
        builder.ToTable("DeclarationDays");
        builder.HasKey(d => new { d.Definition, d.Day, d.WardCode, d.Source });
        builder.Property(d => d.WardCode).HasMaxLength(16);
        builder.Property(d => d.DistrictCode).HasMaxLength(16);
        builder.Property(d => d.Source).HasMaxLength(40);
    }
}
