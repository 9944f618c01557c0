using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Declarations;

/// <summary>
/// Admin's page for the declaration questionnaire (<c>/staff/questionnaire</c>): the wording of every question and of
/// its options in both languages, which are required, their order, added questions (remove, or add one with its
/// options). Saving asks <see cref="QuestionnaireAdmin"/>, as the API does, so the rules are the same and each save is a new version. Plain form
/// posts: no JavaScript needed.
/// </summary>
[Authorize(Roles = StaffRoles.Admin)]
public sealed class QuestionnairePageModel(Questionnaires questionnaires, QuestionnaireAdmin admin) : PageModel
{
    public QuestionnaireVersion Current { get; private set; } = null!;

    public string? Problem { get; private set; }

    [BindProperty(SupportsGet = true)]
    public int? Saved { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Current = await questionnaires.CurrentAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Current = await questionnaires.CurrentAsync(cancellationToken);
        var form = Request.Form;
        Bilingual Text(string prefix) => new(form[prefix + ".vi"].ToString(), form[prefix + ".en"].ToString());

        // Each question keeps its place unless its position says otherwise. A question moved to a position goes before
        // the one that was there (which keeps its number); other ties keep the current order.
        var placed = new List<(int Position, bool Moved, int Index, Question Question)>();
        for (var i = 0; i < Current.Questions.Count; i++)
        {
            var existing = Current.Questions[i];
            if (!existing.BuiltIn && form[$"q{i}.remove"] == "true")
            {
                continue;
            }

            var position = int.TryParse(form[$"q{i}.position"], out var p) ? p : i + 1;
            var options = existing.Options is not null && form.ContainsKey($"q{i}.options") ? Options(form[$"q{i}.options"].ToString()) : existing.Options;
            placed.Add((position, position != i + 1, i, existing with { Text = Text($"q{i}"), Required = form[$"q{i}.required"] == "true", Options = options }));
        }

        var questions = placed.OrderBy(q => q.Position).ThenByDescending(q => q.Moved).ThenBy(q => q.Index).Select(q => q.Question).ToList();
        if (form["new.id"].ToString() is { Length: > 0 } id)
        {
            var options = Options(form["new.options"].ToString());
            questions.Add(new Question(id.Trim(), form["new.type"].ToString(), form["new.required"] == "true", Text("new"), options.Count > 0 ? options : null));
        }

        var result = await admin.SaveAsync(StaffActor.From(User), new QuestionnaireEdit(Text("title"), questions), cancellationToken);
        if (!result.IsRefused(out var message, out var status))
        {
            return RedirectToPage(new { saved = ((Outcome<QuestionnaireVersion>.Done)result).Value.Version }); // post, redirect, get
        }

        (Problem, Response.StatusCode) = (message, status);
        return Page();
    }

    /// <summary>Options as the page shows them, one a line: <c>code | Tiếng Việt | English</c>.</summary>
    public static string OptionLines(IEnumerable<AnswerOption> options) =>
        string.Join("\n", options.Select(o => $"{o.Code} | {o.Text.Vi} | {o.Text.En}"));

    private static List<AnswerOption> Options(string lines) =>
        [.. lines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Select(parts => new AnswerOption(parts[0], new Bilingual(parts.ElementAtOrDefault(1) ?? "", parts.ElementAtOrDefault(2) ?? "")))];
}
