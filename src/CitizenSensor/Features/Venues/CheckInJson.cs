using System.Text.Json;
using System.Text.Json.Serialization;

namespace CitizenSensor.Features.Venues;

/// <summary>
/// Compile-time JSON for the check-in API, the busiest public endpoints: reading a check-in and writing its answer
/// through generated code instead of reflection-built converters. The same web defaults as every other endpoint (camel
/// case, numbers from strings), so the wire format does not change; other types still go through reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CheckInRequest))]
[JsonSerializable(typeof(CheckInBatch))]
[JsonSerializable(typeof(CheckInAccepted))]
[JsonSerializable(typeof(BatchOutcome))]
internal sealed partial class CheckInJson : JsonSerializerContext;
