using Enigm.Server.Storage;

namespace Enigm.Server.Hosting;

/// <summary>
/// The <c>--db</c> value of <c>enigm server run</c>: <c>sqlite:PATH</c> (one file, the embedded default) or
/// <c>postgres:CONNSTR</c> (an Npgsql connection string; several relay nodes may share one database). The connection
/// string may hold a password: it is never echoed or logged.
/// </summary>
public static class RelayStoreSpec
{
    public const string SqlitePrefix = "sqlite:";
    public const string PostgresPrefix = "postgres:";

    /// <summary>
    /// Checks the form first (a wrong scheme or an empty value is <see cref="RelayConfigurationException"/>, exit 80),
    /// creates a SQLite file's folder, then opens through the store's own <see cref="RelayStoreLocation"/>.
    /// </summary>
    public static IRelayStore Open(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.StartsWith(SqlitePrefix, StringComparison.Ordinal))
        {
            var path = spec[SqlitePrefix.Length..];
            if (path.Length == 0) throw new RelayConfigurationException("--db sqlite: needs a file path (sqlite:PATH).");
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null && !Directory.Exists(folder)) Directory.CreateDirectory(folder);
        }
        else if (spec.StartsWith(PostgresPrefix, StringComparison.Ordinal))
        {
            if (spec.Length == PostgresPrefix.Length) throw new RelayConfigurationException("--db postgres: needs a connection string (postgres:Host=…;Database=…).");
        }
        else
        {
            throw new RelayConfigurationException("--db must be sqlite:PATH or postgres:CONNSTR.");
        }

        try
        {
            return RelayStoreLocation.Open(spec);
        }
        catch (ArgumentException e)
        {
            // Npgsql names the bad keyword, never the password; keep its first line only.
            throw new RelayConfigurationException("--db: the connection string is not valid: " + e.Message.Split('\n')[0], e);
        }
    }

    /// <summary>The spec with any PostgreSQL connection details hidden, for output.</summary>
    public static string Describe(string spec) =>
        spec.StartsWith(PostgresPrefix, StringComparison.Ordinal) ? "postgres (connection string not shown)" : spec;
}
