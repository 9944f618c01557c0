using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace CitizenSensor.Features.Staff;

[EnableRateLimiting(PublicLimits.SignIn)]
public sealed class LoginPageModel(StaffSignIn staff, SignInManager<StaffUser> signIn) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>A resource key for the error shown above the form.</summary>
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password))
        {
            Error = "LoginRequired";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (await staff.CheckAsync(Email, Password) is { } user)
        {
            await signIn.SignInAsync(user, isPersistent: false);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/staff");
        }

        Error = "LoginFailed";
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}
