using BenchmarkDotNet.Attributes;
using CitizenSensor.Features.Reports.Classification;

namespace CitizenSensor.Bench;

/// <summary>Classifying one report: short teencode, and a long report with an address.</summary>
[MemoryDiagnoser]
public class ClassificationBenchmarks
{
    private readonly ReportClassifier _classifier = ReportClassifier.LoadDefault();

    [Benchmark(Description = "classify: short teencode")]
    public Classification ShortTeencode() => _classifier.Classify("mn ơi công viên đông ng tập thể dục lắm, ko ai đeo kt");

    [Benchmark(Description = "classify: 300-character report")]
    public Classification LongReport() => _classifier.Classify(
        "Quán cà phê ở hẻm 45 đường Quang Trung, phường 12 quận Gò Vấp vẫn mở cửa cho khách ngồi uống tại chỗ từ sáng tới tối, " +
        "khách ngồi sát nhau, nhân viên không đeo khẩu trang, không có mã QR để quét. Tôi đã nhắc nhưng chủ quán nói đã xin phép phường. " +
        "Đề nghị cơ quan chức năng kiểm tra.");
}
