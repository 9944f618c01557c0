using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Declarations;

/// <summary>
/// Admin's page for the declaration questionnaire (<c>/staff/questionnaire</c>): the wording of every question in both
/// languages, which are required, added questions (remove, or add one with its options). Saving calls the API's handler,
/// so the rules are the same and each save is a new version. Plain form posts: no JavaScript needed.
/// </summary>
[Authorize(Roles = StaffRoles.Admin)]
public sealed class QuestionnairePageModel(CitizenDb db, Questionnaires questionnaires, Auditor audit) : PageModel
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

        var questions = new List<Question>();
        for (var i = 0; i < Current.Questions.Count; i++)
        {
            var existing = Current.Questions[i];
            if (!existing.BuiltIn && form[$"q{i}.remove"] == "true")
            {
                continue;
            }

            questions.Add(existing with { Text = Text($"q{i}"), Required = form[$"q{i}.required"] == "true" });
        }

        if (form["new.id"].ToString() is { Length: > 0 } id)
        {
            var options = form["new.options"].ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
                .Select(parts => new AnswerOption(parts[0], new Bilingual(parts.ElementAtOrDefault(1) ?? "", parts.ElementAtOrDefault(2) ?? "")))
                .ToList();
            questions.Add(new Question(id.Trim(), form["new.type"].ToString(), form["new.required"] == "true", Text("new"), options.Count > 0 ? options : null));
        }

        var result = await QuestionnaireApi.Save(new QuestionnaireEdit(Text("title"), questions), User, db, questionnaires, audit, HttpContext.RequestAborted);
        if (result.Result is Microsoft.AspNetCore.Http.HttpResults.Ok<QuestionnaireVersion> ok)
        {
            return RedirectToPage(new { saved = ok.Value!.Version }); // post, redirect, get
        }

        PageOutcome.IsProblem(result.Result, out var message, out var status);

        (Problem, Response.StatusCode) = (message, status);
        return Page();
    }
}
