using Microsoft.AspNetCore.Http.HttpResults;

namespace CitizenSensor.Infrastructure;

/// <summary>
/// The body of an import endpoint: the CSV itself (<c>text/csv</c>) or one file in a multipart form (<c>file</c>), as
/// the staff pages' upload forms send it. A declared length over the limit is answered 413 at once (Kestrel stops a
/// longer body too, by the endpoint's size limit).
/// </summary>
public static class CsvUpload
{
    /// <summary>The CSV stream; or, refusing the request, a 413 (too large) or a 400 (not one file).</summary>
    public static async Task<(Stream? Body, ProblemHttpResult? TooLarge, ValidationProblem? NotOneFile)> OpenAsync(HttpRequest request, int maxBytes, string what, int maxRows, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file is too large",
                detail: $"{what} may be at most {maxBytes / 1024 / 1024} MB ({maxRows:N0} rows); split it."), null);
        }

        if (!request.HasFormContentType)
        {
            return (request.Body, null, null);
        }

        var form = await request.ReadFormAsync(cancellationToken);
        return form.Files.Count == 1
            ? (form.Files[0].OpenReadStream(), null, null)
            : (null, null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Send one CSV file (multipart field 'file') or the CSV itself as the body (text/csv)."] },
                title: "Nothing was imported"));
    }
}
