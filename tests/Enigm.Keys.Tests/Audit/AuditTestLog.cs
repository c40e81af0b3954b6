using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Providers;
using Enigm.Crypto.Secrets;
using Enigm.Keys.Audit;
using Microsoft.Data.Sqlite;

namespace Enigm.Keys.Tests.Audit;

/// <summary>An in-memory audit log with a composite storage key as checkpoint signer, plus raw-SQL tampering.</summary>
internal sealed class AuditTestLog : IDisposable
{
    public const string SignerId = "store.storage.v1";

    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    // One signer for the whole test run: key generation is the slow part of these tests.
    private static readonly Lazy<PrivateKey> SharedSigner = new(() => Scheme.GenerateKey());

    public AuditTestLog()
    {
        Connection = new SqliteConnection("Data Source=:memory:");
        Connection.Open();
        AuditLog.EnsureSchema(Connection);
    }

    public static ISignatureScheme Scheme => CryptoProviders.Default.Signature(SignatureAlgorithm.MlDsa65Ed25519);

    public static PrivateKey Signer => SharedSigner.Value;

    public static IReadOnlyDictionary<string, byte[]> Trusted => new Dictionary<string, byte[]> { [SignerId] = Signer.PublicKey };

    public SqliteConnection Connection { get; }

    /// <summary>Appends entries 1..count; checkpoints after the sequences listed.</summary>
    public void Fill(int count, params long[] checkpointAfter)
    {
        for (var i = 1; i <= count; i++)
        {
            Append("generate", $"key-{i}.v1", $"purpose=device-signing n={i}", Start.AddMinutes(i));
            if (checkpointAfter.Contains(i)) Checkpoint(Start.AddMinutes(i).AddSeconds(30));
        }
    }

    public AuditEntry Append(string eventKind, string? keyId, string detail, DateTimeOffset time)
    {
        using var transaction = Connection.BeginTransaction();
        var entry = AuditLog.Append(Connection, transaction, eventKind, keyId, detail, time);
        transaction.Commit();
        return entry;
    }

    public AuditCheckpoint Checkpoint(DateTimeOffset time, PrivateKey? signer = null, string signerId = SignerId)
    {
        using var transaction = Connection.BeginTransaction();
        var checkpoint = AuditLog.WriteCheckpoint(Connection, transaction, Scheme, signer ?? Signer, signerId, time);
        transaction.Commit();
        return checkpoint;
    }

    public AuditVerification Verify(IReadOnlyDictionary<string, byte[]>? trusted = null) =>
        AuditVerifier.Verify(AuditLog.ReadEntries(Connection), AuditLog.ReadCheckpoints(Connection), trusted ?? Trusted, CryptoProviders.Default);

    public void Sql(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    public void Dispose() => Connection.Dispose();
}
