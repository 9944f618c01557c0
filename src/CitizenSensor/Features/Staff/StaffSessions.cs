using System.Security.Claims;
using CitizenSensor.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Staff;

/// <summary>
/// Staff sessions end when the member of staff signs out, not when the cookie expires: signing out changes the
/// account's security stamp (Identity's), and every request's cookie is checked against the stored stamp, one
/// primary-key read. Identity's own validator still runs on its interval to refresh roles.
/// </summary>
public static class StaffSessions
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var options = context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value;
        var id = context.Principal?.FindFirstValue(options.ClaimsIdentity.UserIdClaimType);
        var stamp = context.Principal?.FindFirstValue(options.ClaimsIdentity.SecurityStampClaimType);
        var db = context.HttpContext.RequestServices.GetRequiredService<CitizenDb>();
        var stored = id is null ? null
            : await db.Users.IgnoreQueryFilters().Where(u => u.Id == id).Select(u => u.SecurityStamp).SingleOrDefaultAsync(context.HttpContext.RequestAborted);
        if (stamp is null || stored is null || !string.Equals(stamp, stored, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }

        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }

    /// <summary>Signs out and ends every session of the account that holds this cookie.</summary>
    public static async Task EndAsync(SignInManager<StaffUser> signIn, ClaimsPrincipal principal)
    {
        if (await signIn.UserManager.GetUserAsync(principal) is { } user)
        {
            await signIn.UserManager.UpdateSecurityStampAsync(user);
        }

        await signIn.SignOutAsync();
    }
}
