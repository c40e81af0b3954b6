using Enigm.Server.Storage;
using Enigm.Server.Storage.Postgres;
using Enigm.Server.Storage.Sqlite;

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

    public static IRelayStore Open(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.StartsWith(SqlitePrefix, StringComparison.Ordinal))
        {
            var path = spec[SqlitePrefix.Length..];
            if (path.Length == 0) throw new RelayConfigurationException("--db sqlite: needs a file path (sqlite:PATH).");
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null && !Directory.Exists(folder)) Directory.CreateDirectory(folder);
            return new SqliteRelayStore(path);
        }

        if (spec.StartsWith(PostgresPrefix, StringComparison.Ordinal))
        {
            var connection = spec[PostgresPrefix.Length..];
            if (connection.Length == 0) throw new RelayConfigurationException("--db postgres: needs a connection string (postgres:Host=…;Database=…).");
            try
            {
                return new PostgresRelayStore(connection);
            }
            catch (ArgumentException e)
            {
                // Npgsql names the bad keyword, never the password; still, keep only its message's first line.
                throw new RelayConfigurationException("--db postgres: the connection string is not valid: " + e.Message.Split('\n')[0], e);
            }
        }

        throw new RelayConfigurationException("--db must be sqlite:PATH or postgres:CONNSTR.");
    }

    /// <summary>The spec with any PostgreSQL connection details hidden, for output.</summary>
    public static string Describe(string spec) =>
        spec.StartsWith(PostgresPrefix, StringComparison.Ordinal) ? "postgres (connection string not shown)" : spec;
}
