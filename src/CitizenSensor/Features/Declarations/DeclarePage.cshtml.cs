using System.Globalization;
using System.Text.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Venues;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Declarations;

/// <summary>
/// The public declaration form (<c>/declare</c>), drawn from the questionnaire's current version. Plain HTML: it works
/// without JavaScript, on any phone. It goes through the same desk and writer as the API, under the source "web"; the
/// answer shows the resident's personal QR.
/// </summary>
[EnableRateLimiting(PublicLimits.Declarations)]
public sealed class DeclarePageModel(
    CitizenDb db, JurisdictionCatalog catalog, Questionnaires questionnaires, DeclarationDesk desk, DeclarationWriter writer, DeclarationOptions options,
    IStringLocalizer<SharedResource> text) : PageModel
{
    public const int PlaceRows = 4;

    public QuestionnaireVersion Questionnaire { get; private set; } = null!;

    public IReadOnlyList<DistrictChoice> Districts { get; private set; } = [];

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>What the resident typed, by field name, to show it again with the errors.</summary>
    public IFormCollection? Typed { get; private set; }

    public StoredDeclaration? Stored { get; private set; }

    public string? QrSvg { get; private set; }

    public DateTimeOffset PassExpiresAt { get; private set; }

    public string Culture => CultureInfo.CurrentUICulture.Name;

    public int RetentionDays => options.RetentionDays;

    public string Value(string field) => Typed?[field].ToString() ?? "";

    public bool Checked(string field, string value) => Typed?[field].Contains(value) == true;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Typed = Request.Form;
        var form = Request.Form;
        string? Text(string field) => form[field].ToString() is { Length: > 0 } value ? value : null;

        int? birthYear = null;
        if (Text("birthYear") is { } year)
        {
            if (int.TryParse(year.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                birthYear = parsed;
            }
            else
            {
                Errors["birthYear"] = text["DeclWholeNumber", Questionnaire.Find("birthYear")!.Text.For(Culture)];
            }
        }

        var places = Enumerable.Range(0, PlaceRows)
            .Select(i => new PlaceVisited(Text($"placesVisited[{i}].place"), Text($"placesVisited[{i}].date")))
            .Where(p => p.Place is not null || p.Date is not null)
            .Select(p => (PlaceVisited?)p).ToList();
        var answers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var question in Questionnaire.Questions.Where(q => !q.BuiltIn))
        {
            var field = $"answers.{question.Id}";
            var raw = Text(field)?.Trim();
            switch (question.Type)
            {
                case "multi-choice":
                    if (form[field].Count > 0)
                    {
                        answers[question.Id] = JsonSerializer.SerializeToElement(form[field].ToArray());
                    }

                    break;
                case "integer" when raw is not null:
                    if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                    {
                        answers[question.Id] = JsonSerializer.SerializeToElement(number);
                    }
                    else
                    {
                        Errors[field] = text["DeclWholeNumber", question.Text.For(Culture)];
                    }

                    break;
                case "boolean" when raw is not null:
                    answers[question.Id] = JsonSerializer.SerializeToElement(raw == "true");
                    break;
                default:
                    if (raw is not null)
                    {
                        answers[question.Id] = JsonSerializer.SerializeToElement(raw);
                    }

                    break;
            }
        }

        var request = new DeclarationRequest(
            Text("fullName"), birthYear, Text("gender"), Text("phone"), Text("citizenId"), Text("wardCode"), Text("address"), places,
            [.. form["symptoms"].Select(s => (string?)s)], [.. form["exposures"].Select(s => (string?)s)], Text("chronicConditions"), null, answers);
        var (item, payload, errors, limited) = await desk.PrepareAsync(request, "web", cancellationToken);
        foreach (var (field, messages) in errors)
        {
            Errors.TryAdd(field, messages[0]);
        }

        if (Errors.Count > 0)
        {
            limited?.Tell(Response);
            Response.StatusCode = limited is null ? StatusCodes.Status400BadRequest : StatusCodes.Status429TooManyRequests;
            return Page();
        }

        Stored = (await writer.WriteAsync([item!], cancellationToken))[0];
        var (pass, expires) = desk.IssuePass(payload!);
        QrSvg = VenueQr.Svg(pass, 6);
        PassExpiresAt = expires;
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Questionnaire = await questionnaires.CurrentAsync(cancellationToken);
        Districts = await WardSelect.LoadAsync(db, (await catalog.TodayAsync()).Set, cancellationToken);
    }
}
