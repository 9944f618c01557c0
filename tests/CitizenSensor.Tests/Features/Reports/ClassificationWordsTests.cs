using System.Globalization;
using CitizenSensor.Features.Reports.Classification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>The classifier's stored explanations, as the classifier writes them, read out in words for staff.</summary>
public sealed class ClassificationWordsTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static readonly Dictionary<string, string> Names = new()
    {
        ["public-order"] = "Tụ tập ăn nhậu, hát karaoke, cờ bạc",
        ["business"] = "Cơ sở kinh doanh vi phạm",
        ["other"] = "Nội dung khác",
    };

    [Theory]
    [InlineData("vi", "public-order 3.5: quan karaoke, hat; business 1: quan", "Tụ tập ăn nhậu, hát karaoke, cờ bạc: khớp các cụm từ ‘quan karaoke’, ‘hat’; Cơ sở kinh doanh vi phạm: khớp các cụm từ ‘quan’")]
    [InlineData("en", "public-order 3.5: quan karaoke, hat", "Tụ tập ăn nhậu, hát karaoke, cờ bạc: matched ‘quan karaoke’, ‘hat’")]
    [InlineData("vi", "other: no cue found", "Nội dung khác: không thấy cụm từ nào khớp")]
    [InlineData("en", ClassificationWords.ReporterChose, "The reporter chose a category the classifier has no rules for.")]
    [InlineData("vi", "something the classifier never wrote", "something the classifier never wrote")]
    public void Stored_explanations_read_as_words_without_scores(string culture, string stored, string expected)
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo(culture);
            var text = app.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
            var words = ClassificationWords.Describe(stored, text, code => Names.GetValueOrDefault(code, code));
            Assert.Equal(expected, words);
            Assert.DoesNotContain("3.5", words, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}

/// <summary>Stored triage reasons that do not have the particulars their kind needs still read, and never throw.</summary>
public sealed class TriageReasonWordsTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    [Theory]
    [InlineData("low-confidence")]
    [InlineData("sent-back")]
    [InlineData("in-no-unit")]
    [InlineData("address-ambiguous")]
    [InlineData("free text a dispatcher once typed")]
    public void A_malformed_reason_reads_without_throwing(string stored)
    {
        var text = app.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var words = CitizenSensor.Features.Reports.TriageReasons.Describe(stored, text, code => code);
        Assert.False(string.IsNullOrWhiteSpace(words));
    }
}
