using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Staff;

/// <summary>Sign-out is a POST with an antiforgery token and ends the session everywhere (<see cref="StaffSessions"/>); a GET only sends the visitor home.</summary>
public sealed class LogoutPageModel(SignInManager<StaffUser> signIn) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await StaffSessions.EndAsync(signIn, User);
        return LocalRedirect("/");
    }
}
