using Microsoft.AspNetCore.Identity;

namespace CitizenSensor.Features.Staff;

/// <summary>
/// Checks a member of staff's e-mail and password, for the sign-in page and the token API alike. One answer for an
/// unknown address, a wrong password and a locked account (nothing tells which accounts exist), and about the same time
/// for each (an unknown address still costs a password hash). Five wrong passwords lock password sign-in for 15
/// minutes; the account's API tokens keep working, so nobody can switch off someone else's integration by guessing.
/// Each client address may try only a few times a minute (<see cref="Infrastructure.PublicLimits.SignIn"/>).
/// </summary>
public sealed class StaffSignIn(SignInManager<StaffUser> signIn)
{
    private static readonly StaffUser Nobody = new() { UserName = "nobody", Email = "nobody@invalid" };
    private static string? _nobodyHash;

    /// <summary>The account, when the password is right and the account may sign in now; otherwise null.</summary>
    public async Task<StaffUser?> CheckAsync(string? email, string? password)
    {
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password) || email.Length > 256 || password.Length > 1024)
        {
            return null;
        }

        var users = signIn.UserManager;
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            // Spend the time a real check takes.
            _nobodyHash ??= users.PasswordHasher.HashPassword(Nobody, Guid.NewGuid().ToString());
            users.PasswordHasher.VerifyHashedPassword(Nobody, _nobodyHash, password);
            return null;
        }

        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        return result.Succeeded ? user : null;
    }
}
