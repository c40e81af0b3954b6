namespace Enigm.Server.Storage.Sqlite;

/// <summary>
/// The relay's SQLite schema (version 3: version 1 plus <see cref="SharedPayloads"/> (2), minus the mailbox depth triggers
/// (3, <see cref="DropDepthTriggers"/>)). Times are Unix milliseconds. Mailbox depth is kept in memory by the writer
/// (<see cref="MailboxDepths"/>) so the cap check and the admin stats never count rows. Handed-out one-time prekey ids are
/// remembered forever in <c>handed_out_prekeys</c>: a re-upload can never make one available again.
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 3;

    /// <summary>
    /// Version 2: multi-recipient submits store their shared ciphertext once in <c>payloads</c>; each recipient's
    /// mailbox row names it in <c>messages.payload</c> (its own part is the row's body). A payload is deleted with the
    /// last row that names it (the trigger; an ack or the TTL sweep). Run after <see cref="Create"/>; the column is
    /// added only when missing (<see cref="PayloadColumnExists"/>).
    /// </summary>
    public const string SharedPayloads = """
        CREATE TABLE IF NOT EXISTS payloads (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            body BLOB NOT NULL,
            received_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS payloads_by_age ON payloads (received_at);
        CREATE INDEX IF NOT EXISTS messages_by_payload ON messages (payload) WHERE payload IS NOT NULL;
        CREATE INDEX IF NOT EXISTS accounts_head_pending ON accounts (account) WHERE head_pending = 1;
        CREATE TRIGGER IF NOT EXISTS messages_release_payload AFTER DELETE ON messages WHEN OLD.payload IS NOT NULL BEGIN
            DELETE FROM payloads WHERE id = OLD.payload AND NOT EXISTS (SELECT 1 FROM messages WHERE payload = OLD.payload);
        END;
        """;

    /// <summary>
    /// Version 2: <c>accounts.head_pending</c> is set in the same write that stores a device log and cleared once its
    /// head is in the transparency log, so a crash between the two is found and repaired (TransparencyRepair).
    /// </summary>
    public const string HeadPendingColumnExists = "SELECT count(*) FROM pragma_table_info('accounts') WHERE name = 'head_pending'";

    public const string AddHeadPendingColumn = "ALTER TABLE accounts ADD COLUMN head_pending INTEGER NOT NULL DEFAULT 0";

    public const string PayloadColumnExists = "SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'payload'";

    public const string AddPayloadColumn = "ALTER TABLE messages ADD COLUMN payload INTEGER";

    /// <summary>
    /// Version 3: the depth triggers updated a <c>mailbox_depth</c> row on every insert and delete (about half of the
    /// writer's work per message, with the depth SELECT); the writer keeps the depths in memory instead, counted from <see cref="CountDepths"/> at start.
    /// </summary>
    public const string DropDepthTriggers = """
        DROP TRIGGER IF EXISTS messages_depth_insert;
        DROP TRIGGER IF EXISTS messages_depth_delete;
        DROP TABLE IF EXISTS mailbox_depth;
        """;

    /// <summary>Each mailbox's depth, counted once when the store starts (a scan of <c>messages</c>).</summary>
    public const string CountDepths = "SELECT account, device, count(*), coalesce(sum(length(body)), 0) FROM messages GROUP BY account, device";

    public const string Create = """
        CREATE TABLE IF NOT EXISTS accounts (
            account TEXT PRIMARY KEY,
            device_log BLOB NOT NULL,
            log_entries INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0,
            delivery_token_hash BLOB
        );
        CREATE TABLE IF NOT EXISTS devices (
            account TEXT NOT NULL,
            device TEXT NOT NULL,
            revoked INTEGER NOT NULL,
            PRIMARY KEY (account, device)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS challenges (
            hash BLOB PRIMARY KEY,
            account TEXT NOT NULL,
            device TEXT NOT NULL,
            expires_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS tokens (
            hash BLOB PRIMARY KEY,
            account TEXT NOT NULL,
            device TEXT NOT NULL,
            expires_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS tokens_by_device ON tokens (account, device);
        CREATE TABLE IF NOT EXISTS bundles (
            account TEXT NOT NULL,
            device TEXT NOT NULL,
            bundle BLOB NOT NULL,
            PRIMARY KEY (account, device)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS one_time_prekeys (
            account TEXT NOT NULL,
            device TEXT NOT NULL,
            kind INTEGER NOT NULL,
            id INTEGER NOT NULL,
            key BLOB NOT NULL,
            PRIMARY KEY (account, device, kind, id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS handed_out_prekeys (
            account TEXT NOT NULL,
            device TEXT NOT NULL,
            kind INTEGER NOT NULL,
            id INTEGER NOT NULL,
            PRIMARY KEY (account, device, kind, id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            account TEXT NOT NULL,
            device TEXT NOT NULL,
            message_id BLOB NOT NULL,
            body BLOB NOT NULL,
            received_at INTEGER NOT NULL,
            UNIQUE (account, device, message_id)
        );
        CREATE INDEX IF NOT EXISTS messages_by_mailbox ON messages (account, device, seq);
        CREATE INDEX IF NOT EXISTS messages_by_age ON messages (received_at);
        CREATE TABLE IF NOT EXISTS attachments (
            id TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            length INTEGER NOT NULL,
            complete INTEGER NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS attachment_chunks (
            id TEXT NOT NULL,
            idx INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (id, idx)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS tree_nodes (
            level INTEGER NOT NULL,
            idx INTEGER NOT NULL,
            hash BLOB NOT NULL,
            PRIMARY KEY (level, idx)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS tree_leaves (
            idx INTEGER PRIMARY KEY,
            account TEXT NOT NULL,
            data BLOB NOT NULL
        );
        CREATE INDEX IF NOT EXISTS tree_leaves_by_account ON tree_leaves (account, idx);
        CREATE TABLE IF NOT EXISTS rendezvous (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            channel TEXT NOT NULL,
            payload BLOB NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS rendezvous_by_channel ON rendezvous (channel, seq);
        """;
}
