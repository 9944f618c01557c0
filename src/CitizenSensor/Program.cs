using CitizenSensor.Data;
using CitizenSensor.Features.Channels;
using CitizenSensor.Features.Declarations;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Tracing;
using CitizenSensor.Features.Venues;
using CitizenSensor.Infrastructure;

// `dotnet run -- migrate | create-admin | import-units | create-open311-key` (anywhere among the arguments) runs an
// operator command instead of the portal.
var line = Commands.Read(args);
if (line.Error is not null)
{
    await Console.Error.WriteLineAsync(line.Error);
    return 2;
}

var command = line.Command;
var builder = WebApplication.CreateBuilder(line.HostArgs);
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
builder.AddTracing();

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
app.MapTracing();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
