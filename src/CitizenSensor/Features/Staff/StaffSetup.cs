using CitizenSensor.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace CitizenSensor.Features.Staff;

public static class StaffSetup
{
    private const string StaffScheme = "Staff";

    public static WebApplicationBuilder AddStaff(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddIdentityCore<StaffUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                // Length over composition rules (NIST SP 800-63B): ten characters, any kind.
                options.Password.RequiredLength = 10;
                options.Password.RequiredUniqueChars = 4;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireDigit = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CitizenDb>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<StaffClaimsFactory>()
            .AddDefaultTokenProviders();

        // One default scheme that picks the token handler for "Authorization: Bearer" and the cookie otherwise.
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = StaffScheme;
                options.DefaultChallengeScheme = StaffScheme;
            })
            .AddPolicyScheme(StaffScheme, "Cookie or API token", options => options.ForwardDefaultSelector = context =>
                ApiTokenAuthenticationHandler.HasBearerToken(context.Request) ? ApiTokenAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "cs_staff";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = "/staff/login";
            options.LogoutPath = "/staff/logout";
            options.AccessDeniedPath = CitizenSensor.Infrastructure.ErrorPages.Path + "/403";
            options.ExpireTimeSpan = TimeSpan.FromHours(10);
            options.SlidingExpiration = true;
            // APIs answer 401/403 as ProblemDetails instead of redirecting to the login page.
            // Signing out changes the account's security stamp: a copy of the old cookie stops working at its next request.
            options.Events.OnValidatePrincipal = StaffSessions.ValidateAsync;
            options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized, "Authentication required");
            // A signed-in member of staff without the role is told so (the "not permitted" page), not sent to sign in.
            options.Events.OnRedirectToAccessDenied = context => context.Request.Path.StartsWithSegments("/api")
                ? ApiAwareRedirect(context, StatusCodes.Status403Forbidden, "Forbidden")
                : Forbidden(context.Response);
        });
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.FromMinutes(5));
        services.AddAuthorization();
        services.AddScoped<StaffAccounts>();
        services.AddScoped<StaffSignIn>();
        services.AddScoped<UnitContacts>();
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(options => options.Filters.Add<UnitScopePageFilter>());
        return builder;
    }

    public static WebApplication MapStaff(this WebApplication app)
    {
        app.MapTokensApi();
        app.MapStaffApi();
        return app;
    }

    /// <summary>An empty 403: the status code pages answer it with the error page, or a problem for non-browsers.</summary>
    private static Task Forbidden(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status, string title)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }

        context.Response.StatusCode = status;
        return context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails =
            {
                Status = status,
                Title = title,
                Detail = status == StatusCodes.Status401Unauthorized
                    ? "Send a valid API token as 'Authorization: Bearer cs_…', or sign in."
                    : "Your role does not allow this.",
            },
        }).AsTask();
    }
}
