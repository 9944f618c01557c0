using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace CitizenSensor.Infrastructure.Export;

/// <summary>The file formats a table can be downloaded in.</summary>
public enum TableFormat
{
    Csv,
    Xlsx,
}

/// <summary>
/// A table (headers and rows) written straight to the response as CSV or XLSX while the rows are read: nothing is
/// buffered beyond the writers' own 64 KB, so 100,000 rows cost the same memory as 100. Works as the result of a
/// minimal API handler (<see cref="IResult"/>) and of a page handler (<see cref="IActionResult"/>).
/// Cells may be <see cref="string"/>, whole or decimal numbers, <see cref="DateTime"/>, <see cref="DateTimeOffset"/>
/// (written as its own wall-clock time: pass city time), <see cref="DateOnly"/>, <see cref="bool"/> or null.
/// </summary>
public sealed class TableExport : IResult, IActionResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private const int BufferSize = 64 * 1024;

    private readonly string fileName;
    private readonly TableFormat format;
    private readonly IReadOnlyList<string> headers;
    private readonly IAsyncEnumerable<object?[]> rows;

    /// <param name="fileName">Without extension, e.g. "thong-ke-phan-anh-2026-11-01".</param>
    /// <param name="format">CSV or XLSX.</param>
    /// <param name="headers">The column headings, already in the reader's language.</param>
    /// <param name="rows">Read once, as the file is written; each row has one cell per heading.</param>
    public TableExport(string fileName, TableFormat format, IReadOnlyList<string> headers, IAsyncEnumerable<object?[]> rows)
    {
        this.fileName = fileName;
        this.format = format;
        this.headers = headers;
        this.rows = rows;
    }

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => format == TableFormat.Csv ? CsvContentType : XlsxContentType;

    public string FileName => fileName + (format == TableFormat.Csv ? ".csv" : ".xlsx");

    /// <summary>"csv" or "xlsx", any case; a missing value is CSV.</summary>
    public static bool TryParseFormat(string? value, out TableFormat format)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "" or "csv":
                format = TableFormat.Csv;
                return true;
            case "xlsx":
                format = TableFormat.Xlsx;
                return true;
            default:
                format = TableFormat.Csv;
                return false;
        }
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(FileName);
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.CacheControl = "no-store";
        await WriteAsync(response.Body, httpContext.RequestAborted);
    }

    public Task ExecuteResultAsync(ActionContext context) => ExecuteAsync(context.HttpContext);

    /// <summary>Writes the whole table to a stream (it need not be seekable) with asynchronous writes only.</summary>
    public Task WriteAsync(Stream stream, CancellationToken cancellationToken = default) =>
        format == TableFormat.Csv ? WriteCsvAsync(stream, cancellationToken) : WriteXlsxAsync(stream, cancellationToken);

    private async Task WriteCsvAsync(Stream stream, CancellationToken cancellationToken)
    {
        // UTF-8 with a byte order mark: without it Excel reads Vietnamese as Windows-1252.
        await using var text = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), BufferSize, leaveOpen: true);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.None };
        await using (var csv = new CsvWriter(text, configuration, leaveOpen: true))
        {
            foreach (var header in headers)
            {
                csv.WriteField(DefuseFormula(header));
            }

            await csv.NextRecordAsync();
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                foreach (var cell in row)
                {
                    csv.WriteField(CsvText(cell));
                }

                await csv.NextRecordAsync();
            }

            await csv.FlushAsync();
        }

        await text.FlushAsync(cancellationToken);
    }

    private static string CsvText(object? cell) => cell switch
    {
        null => "",
        string text => DefuseFormula(text),
        DateTimeOffset instant => instant.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateTime time => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool flag => flag ? "1" : "0",
        IFormattable value => value.ToString(null, CultureInfo.InvariantCulture),
        _ => DefuseFormula(cell.ToString() ?? ""),
    };

    /// <summary>
    /// A text cell that a spreadsheet would take for a formula (= + - @, or a tab or carriage return in front) gets
    /// a leading apostrophe, so a resident's "=HYPERLINK(…)" stays text when the file is opened (OWASP's advice
    /// on CSV injection). Numbers are never text cells, so negative numbers are left alone.
    /// </summary>
    internal static string DefuseFormula(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n' ? "'" + text : text;

    private async Task WriteXlsxAsync(Stream stream, CancellationToken cancellationToken)
    {
        var options = new SpreadCheetahOptions
        {
            BufferSize = BufferSize,
            PreserveStringWhitespace = true,
            DefaultDateTimeFormat = NumberFormat.Custom("yyyy-mm-dd hh:mm:ss"),
        };
        var body = new AsyncWritesOnly(stream);
        await using (var spreadsheet = await Spreadsheet.CreateNewAsync(body, options, cancellationToken))
        {
            await WriteSheetAsync(spreadsheet, cancellationToken);
        }

        await body.FlushAsync(cancellationToken);
    }

    private async Task WriteSheetAsync(Spreadsheet spreadsheet, CancellationToken cancellationToken)
    {
        var sheetOptions = new WorksheetOptions { FrozenRows = 1 };
        for (var column = 1; column <= headers.Count; column++)
        {
            sheetOptions.Column(column).Width = 18;
        }

        await spreadsheet.StartWorksheetAsync(SheetName(fileName), sheetOptions, cancellationToken);
        var bold = spreadsheet.AddStyle(new Style { Font = { Bold = true } });
        var dayStyle = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom("yyyy-mm-dd") });
        await spreadsheet.AddRowAsync(headers.Select(h => new Cell(h, bold)).ToArray(), cancellationToken);
        Cell[]? cells = null;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            if (cells?.Length != row.Length)
            {
                cells = new Cell[row.Length];
            }

            for (var i = 0; i < row.Length; i++)
            {
                cells[i] = XlsxCell(row[i], dayStyle);
            }

            await spreadsheet.AddRowAsync(cells, cancellationToken);
        }

        await spreadsheet.FinishAsync(cancellationToken);
    }

    // Text is written as inline strings, which a spreadsheet never evaluates, so it needs no defusing here.
    private static Cell XlsxCell(object? cell, StyleId dayStyle) => cell switch
    {
        null => new Cell(),
        string text => new Cell(text),
        int number => new Cell(number),
        long number => new Cell(number),
        double number => new Cell(number),
        float number => new Cell(number),
        decimal number => new Cell(number),
        DateTimeOffset instant => new Cell(instant.DateTime),
        DateTime time => new Cell(time),
        DateOnly day => new Cell(day.ToDateTime(TimeOnly.MinValue), dayStyle),
        bool flag => new Cell(flag),
        _ => new Cell(Convert.ToString(cell, CultureInfo.InvariantCulture)),
    };

    /// <summary>A worksheet name: at most 31 characters, none of : \ / ? * [ ].</summary>
    private static string SheetName(string name)
    {
        var cleaned = new string([.. name.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']'))]).Trim('\'');
        return cleaned.Length == 0 ? "Sheet1" : cleaned[..Math.Min(cleaned.Length, 31)];
    }

    /// <summary>
    /// The zip writer under the XLSX writer closes its entries with small synchronous writes (data descriptors and
    /// the central directory, a few hundred bytes), which a response body refuses. This passes asynchronous writes
    /// straight through and keeps the synchronous ones until the next asynchronous write or flush.
    /// </summary>
    private sealed class AsyncWritesOnly(Stream inner) : Stream
    {
        private readonly MemoryStream pending = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => pending.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => pending.Write(buffer);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await WritePendingAsync(cancellationToken);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
            // Kept until FlushAsync: a synchronous flush of a response body would block a thread.
        }

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            await WritePendingAsync(cancellationToken);
            await inner.FlushAsync(cancellationToken);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private async Task WritePendingAsync(CancellationToken cancellationToken)
        {
            if (pending.Length > 0)
            {
                await inner.WriteAsync(pending.GetBuffer().AsMemory(0, (int)pending.Length), cancellationToken);
                pending.SetLength(0);
            }
        }
    }
}
