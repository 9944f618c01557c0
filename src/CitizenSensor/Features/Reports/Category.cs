using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// A report category with its SLA. Data, not code: an admin can rename it or change its deadlines; the codes are
/// stable because the classifier, the API and other systems (Open311 service codes) use them.
/// </summary>
public sealed class Category
{
    public const string Business = "business";
    public const string Crowding = "crowding";
    public const string PublicOrder = "public-order";
    public const string SuspectedCase = "suspected-case";
    public const string Suggestion = "suggestion";
    public const string Question = "question";
    public const string Other = "other";

    public required string Code { get; set; }

    public required string NameVi { get; set; }

    public required string NameEn { get; set; }

    /// <summary>From submission to routed (the seed: 5 minutes).</summary>
    public int ForwardWithinMinutes { get; set; } = 5;

    /// <summary>From routed to a result (the seed: 60 minutes).</summary>
    public int ResolveWithinMinutes { get; set; } = 60;

    public int SortOrder { get; set; }

    public bool Active { get; set; } = true;

    public string Name(bool english) => english ? NameEn : NameVi;

    /// <summary>The categories a new installation starts with: the seed's four violation groups, suggestions, questions, other.</summary>
    public static IReadOnlyList<Category> Defaults() =>
    [
        new() { Code = Business, NameVi = "Cơ sở kinh doanh vi phạm", NameEn = "Business violations", SortOrder = 1 },
        new() { Code = Crowding, NameVi = "Tụ tập đông người, không giữ khoảng cách, không đeo khẩu trang", NameEn = "Crowding, no distancing, no mask", SortOrder = 2 },
        new() { Code = PublicOrder, NameVi = "Tụ tập ăn nhậu, hát karaoke, cờ bạc", NameEn = "Parties, drinking, karaoke, gambling", SortOrder = 3 },
        new() { Code = SuspectedCase, NameVi = "Nghi nhiễm, không khai báo, vi phạm cách ly", NameEn = "Suspected infection, undeclared contact, isolation breach", SortOrder = 4 },
        new() { Code = Suggestion, NameVi = "Góp ý, kiến nghị với lãnh đạo thành phố", NameEn = "Suggestions to the city's leaders", SortOrder = 5, ResolveWithinMinutes = 7 * 24 * 60 },
        new() { Code = Question, NameVi = "Hỏi đáp, cần hướng dẫn", NameEn = "Questions and guidance", SortOrder = 6, ResolveWithinMinutes = 24 * 60 },
        new() { Code = Other, NameVi = "Nội dung khác", NameEn = "Other", SortOrder = 7, ResolveWithinMinutes = 24 * 60 },
    ];
}

internal sealed class CategoryConfiguration : IEntityTypeConfiguration<Category>
{
    public void Configure(EntityTypeBuilder<Category> builder)
    {
        builder.ToTable("Categories");
        builder.HasKey(c => c.Code);
        builder.Property(c => c.Code).HasMaxLength(32);
        builder.Property(c => c.NameVi).HasMaxLength(200);
        builder.Property(c => c.NameEn).HasMaxLength(200);
    }
}
