namespace CitizenSensor.Data;

/// <summary>
/// Reads the rows of many keys a few hundred keys to a query: EF sends each value of a list as a parameter of its own,
/// and a query with thousands of them costs more to build and plan than to run.
/// </summary>
public static class InChunks
{
    public const int Size = 500;

    /// <summary>The rows <paramref name="read"/> gives for each chunk of <paramref name="keys"/>, in the keys' order, all together.</summary>
    public static async Task<List<TRow>> ReadAsync<TKey, TRow>(IEnumerable<TKey> keys, Func<TKey[], Task<List<TRow>>> read)
    {
        var rows = new List<TRow>();
        foreach (var chunk in keys.Chunk(Size))
        {
            rows.AddRange(await read(chunk));
        }

        return rows;
    }
}
