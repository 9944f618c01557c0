using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CitizenSensor.Infrastructure.Export;
using CsvHelper;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CitizenSensor.Tests.Infrastructure;

/// <summary>
/// The shared CSV/XLSX export, written the way a response is (a body that cannot seek and refuses synchronous
/// writes) and opened again with a CSV parser and with the Open XML SDK.
/// </summary>
public sealed class TableExportTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly string[] Headers = ["Mã", "Phường/xã", "Ngày nhận", "Số phút", "Tiền phạt", "Ngày"];

    private static readonly DateTime Received = new(2026, 11, 3, 14, 5, 9);

    private static async IAsyncEnumerable<object?[]> SampleRows()
    {
        await Task.Yield();
        yield return ["PA-001", "Phường Bến Nghé, \"Quận 1\"", new DateTimeOffset(Received, TimeSpan.FromHours(7)), 42, 1500000.5m, new DateOnly(2026, 11, 3)];
        yield return ["=HYPERLINK(\"http://evil\",\"x\")", "+1 đường Lê Lợi\nxuống dòng", null, -3, -2.25, null];
        yield return ["@SUM(A1)", "-thường", Received, 0, 0, new DateOnly(2026, 1, 31)];
    }

    [Fact]
    public void Formats_parse_case_insensitively_and_unknown_ones_are_refused()
    {
        Assert.True(TableExport.TryParseFormat("XLSX", out var xlsx));
        Assert.Equal(TableFormat.Xlsx, xlsx);
        Assert.True(TableExport.TryParseFormat(null, out var missing));
        Assert.Equal(TableFormat.Csv, missing);
        Assert.False(TableExport.TryParseFormat("pdf", out _));
    }

    [Fact]
    public async Task Csv_has_a_bom_vietnamese_headers_quoted_values_and_defused_formulas()
    {
        var (context, body) = ResponseContext();
        await new TableExport("thống-kê", TableFormat.Csv, Headers, SampleRows()).ExecuteAsync(context);

        Assert.Equal(TableExport.CsvContentType, context.Response.ContentType);
        Assert.Contains("attachment", context.Response.Headers.ContentDisposition.ToString(), StringComparison.Ordinal);
        Assert.Contains(".csv", context.Response.Headers.ContentDisposition.ToString(), StringComparison.Ordinal);
        var bytes = body.Written.ToArray();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);

        var rows = ParseCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
        Assert.Equal(4, rows.Count);
        Assert.Equal(Headers, rows[0]);
        Assert.Equal(["PA-001", "Phường Bến Nghé, \"Quận 1\"", "2026-11-03 14:05:09", "42", "1500000.5", "2026-11-03"], rows[1]);
        Assert.Equal("'=HYPERLINK(\"http://evil\",\"x\")", rows[2][0]);
        Assert.Equal("'+1 đường Lê Lợi\nxuống dòng", rows[2][1]);
        Assert.Equal(["", "-3", "-2.25", ""], rows[2][2..]);
        Assert.Equal("'@SUM(A1)", rows[3][0]);
        Assert.Equal("'-thường", rows[3][1]);
    }

    [Fact]
    public async Task Xlsx_opens_with_bold_vietnamese_headers_typed_numbers_and_dates_and_formulas_kept_as_text()
    {
        var (context, body) = ResponseContext();
        await new TableExport("thống-kê", TableFormat.Xlsx, Headers, SampleRows()).ExecuteAsync(context);

        Assert.Equal(TableExport.XlsxContentType, context.Response.ContentType);
        using var document = SpreadsheetDocument.Open(new MemoryStream(body.Written.ToArray()), false);
        var workbook = document.WorkbookPart!;
        var rows = workbook.WorksheetParts.Single().Worksheet.Descendants<Row>().ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal(Headers, rows[0].Elements<Cell>().Select(c => Text(c)));

        var first = rows[1].Elements<Cell>().ToList();
        Assert.Equal("Phường Bến Nghé, \"Quận 1\"", Text(first[1]));
        Assert.Equal(Received, DateTime.FromOADate(Number(first[2])));
        Assert.Contains("yyyy", FormatOf(workbook, first[2]), StringComparison.Ordinal);
        Assert.Equal(42, Number(first[3]));
        Assert.Equal(1500000.5, Number(first[4]));
        Assert.Equal(new DateTime(2026, 11, 3), DateTime.FromOADate(Number(first[5])));

        var second = rows[2].Elements<Cell>().ToList();
        Assert.Null(second[0].CellFormula);
        Assert.Equal("=HYPERLINK(\"http://evil\",\"x\")", Text(second[0]));
        Assert.Equal("+1 đường Lê Lợi\nxuống dòng", Text(second[1]));
        Assert.Equal(-3, Number(second[3]));
        Assert.Equal(-2.25, Number(second[4]));
    }

    [Theory]
    [InlineData(TableFormat.Csv)]
    [InlineData(TableFormat.Xlsx)]
    public async Task Rows_reach_the_response_while_later_rows_are_still_being_read(TableFormat format)
    {
        var body = new ForwardOnlyStream();
        long writtenAtHalfway = -1;
        const int Rows = 40_000;

        async IAsyncEnumerable<object?[]> ManyRows([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (var i = 0; i < Rows; i++)
            {
                if (i == Rows / 2)
                {
                    writtenAtHalfway = body.Written.Length;
                    await Task.Yield();
                }

                yield return [$"PA-{i:D6}", "Phường Bến Nghé", i, Received.AddMinutes(i)];
            }
        }

        await new TableExport("lớn", format, ["Mã", "Phường", "Số", "Ngày"], ManyRows(Cancel)).WriteAsync(body, Cancel);

        // Half the rows cost well over the writers' buffers; if they had been held back, nothing would be out yet.
        Assert.True(writtenAtHalfway > 100_000, $"{writtenAtHalfway} bytes written at halfway, {body.Written.Length} in all");
    }

    private static (HttpContext Context, ForwardOnlyStream Body) ResponseContext()
    {
        var body = new ForwardOnlyStream();
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        return (context, body);
    }

    private static List<string[]> ParseCsv(string text)
    {
        using var parser = new CsvParser(new StringReader(text), CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (parser.Read())
        {
            rows.Add(parser.Record!);
        }

        return rows;
    }

    private static string Text(Cell cell) =>
        cell.DataType?.Value == CellValues.InlineString ? cell.InlineString!.InnerText : cell.CellValue?.Text ?? "";

    private static double Number(Cell cell)
    {
        Assert.True(cell.DataType is null || cell.DataType.Value == CellValues.Number, "a number cell");
        return double.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture);
    }

    private static string FormatOf(WorkbookPart workbook, Cell cell)
    {
        var styles = workbook.WorkbookStylesPart!.Stylesheet;
        var format = styles.CellFormats!.Elements<CellFormat>().ElementAt((int)cell.StyleIndex!.Value);
        var id = format.NumberFormatId!.Value;
        return styles.NumberingFormats?.Elements<NumberingFormat>().FirstOrDefault(n => n.NumberFormatId!.Value == id)?.FormatCode?.Value ?? "";
    }

    /// <summary>Like a response body: cannot seek, and refuses synchronous writes as Kestrel does.</summary>
    private sealed class ForwardOnlyStream : Stream
    {
        public MemoryStream Written { get; } = new();

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

        public override void Write(byte[] buffer, int offset, int count) =>
            throw new InvalidOperationException("Synchronous writes are not allowed.");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
