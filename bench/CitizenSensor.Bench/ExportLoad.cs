using System.Diagnostics;
using System.Globalization;
using CitizenSensor.Infrastructure.Export;

namespace CitizenSensor.Bench;

/// <summary>
/// <c>export --rows 100000 --format csv|xlsx</c>: writes the report statistics export's 15 columns (Vietnamese text,
/// times, numbers) through <see cref="TableExport"/> to a body that cannot seek and takes asynchronous writes only,
/// as a response body does, and prints the time, the bytes written and the process's peak memory.
/// </summary>
internal static class ExportLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = int.Parse(CommandLine.Option(args, "--rows") ?? "100000", CultureInfo.InvariantCulture);
        if (!TableExport.TryParseFormat(CommandLine.Option(args, "--format"), out var format))
        {
            Console.Error.WriteLine("--format is csv or xlsx");
            return 2;
        }

        string[] headers =
        [
            "Mã phản ánh", "Thời điểm tiếp nhận", "Kênh tiếp nhận", "Lĩnh vực", "Đơn vị xử lý", "Phường/xã", "Tình trạng", "Thời điểm chuyển xử lý",
            "Số phút đến khi chuyển", "Chuyển đúng hạn", "Thời điểm có kết quả", "Số phút đến khi có kết quả", "Kết quả đúng hạn", "Tiền phạt (đồng)", "Đình chỉ hoạt động",
        ];
        var sink = new CountingBody();
        var clock = Stopwatch.StartNew();
        await new TableExport("bench", format, headers, Rows(rows)).WriteAsync(sink);
        clock.Stop();
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{format}: {rows:N0} rows, {sink.Bytes / 1024.0 / 1024.0:0.0} MB in {clock.Elapsed.TotalSeconds:0.00} s; peak working set {process.PeakWorkingSet64 / 1024.0 / 1024.0:0} MB, " +
            $"GC heap now {GC.GetTotalMemory(false) / 1024.0 / 1024.0:0.0} MB, allocated in all {GC.GetTotalAllocatedBytes() / 1024.0 / 1024.0:0} MB"));
        return 0;
    }

    private static async IAsyncEnumerable<object?[]> Rows(int count)
    {
        var start = new DateTime(2021, 8, 1, 7, 0, 0);
        string[] categories = ["Cơ sở kinh doanh vi phạm", "Tụ tập đông người, không giữ khoảng cách, không đeo khẩu trang", "Nghi nhiễm, không khai báo, vi phạm cách ly"];
        string[] channels = ["Cổng thông tin", "Điện thoại 1022", "Ứng dụng", "Facebook Messenger"];
        for (var i = 0; i < count; i++)
        {
            var received = start.AddSeconds(i * 7);
            var forward = 1 + (i % 9);
            var result = 20 + (i % 70);
            yield return
            [
                $"PA{i:D8}", received, channels[i % channels.Length], categories[i % categories.Length], "Quận Gò Vấp", "Phường 12", "Đã xử lý",
                received.AddMinutes(forward), (double)forward, forward <= 5 ? "Có" : "Không", received.AddMinutes(forward + result), (double)result,
                result <= 60 ? "Có" : "Không", i % 10 == 0 ? 2_000_000L : null, i % 50 == 0 ? "Có" : null,
            ];
            if (i % 1000 == 0)
            {
                await Task.Yield(); // as a database reader does between batches
            }
        }
    }

    /// <summary>Counts what it is given and keeps nothing; refuses synchronous writes as a response body does.</summary>
    private sealed class CountingBody : Stream
    {
        public long Bytes { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => throw new InvalidOperationException("Synchronous flushes are not allowed.");

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous writes are not allowed.");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Bytes += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
