using Enigm.Server.Storage.Postgres;
using Enigm.Server.Storage.Sqlite;

namespace Enigm.Server.Storage;

/// <summary>
/// Opens the store a <c>--db</c> value names: <c>sqlite:PATH</c> (one file, one node) or <c>postgres:CONNSTR</c>
/// (an Npgsql connection string; <c>Search Path=</c> picks the schema). The caller then runs
/// <see cref="IRelayStore.MigrateAsync"/>. docs/deployment.md describes both.
/// </summary>
public static class RelayStoreLocation
{
    public const string SqlitePrefix = "sqlite:";
    public const string PostgresPrefix = "postgres:";

    public static IRelayStore Open(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.StartsWith(SqlitePrefix, StringComparison.Ordinal) && location.Length > SqlitePrefix.Length)
            return new SqliteRelayStore(location[SqlitePrefix.Length..]);
        if (location.StartsWith(PostgresPrefix, StringComparison.Ordinal) && location.Length > PostgresPrefix.Length)
            return new PostgresRelayStore(location[PostgresPrefix.Length..]);
        throw new RelayStoreException($"unknown relay database \"{Describe(location)}\": use sqlite:PATH or postgres:CONNECTION-STRING", null, "relay-store-location");
    }

    // Never echo a connection string back whole: it may carry a password.
    private static string Describe(string location)
    {
        var colon = location.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (location.Length > 40 ? location[..40] + "…" : location) : location[..(colon + 1)] + "…";
    }
}
