using CitizenSensor.Data;
using CitizenSensor.Features.Channels;
using CitizenSensor.Features.Declarations;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Venues;
using CitizenSensor.Infrastructure;

// `dotnet run -- migrate | create-admin | import-units | create-open311-key` runs an operator command instead of the portal.
var command = Commands.Parse(args);
var builder = WebApplication.CreateBuilder(command is null ? args : []);
if (command is not null)
{
    Commands.Configure(builder);
}

var database = builder.AddDatabase();
builder.AddWebSurface(database);
builder.AddJurisdictions();
builder.AddStaff();
builder.AddReports();
builder.AddChannels();
builder.AddVenues();
builder.AddDeclarations();

var app = builder.Build();
if (command is not null)
{
    // Disposing the app flushes the console logger's queue, so a command's warnings reach the operator.
    await using (app)
    {
        return await command.RunAsync(app);
    }
}

await app.PrepareAsync();

app.UseWebSurface();
app.MapWebSurface();
app.MapJurisdictions();
app.MapStaff();
app.MapReports();
app.MapChannels();
app.MapVenues();
app.MapDeclarations();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
