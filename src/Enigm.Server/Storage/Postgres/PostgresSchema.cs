namespace Enigm.Server.Storage.Postgres;

/// <summary>
/// The relay's PostgreSQL schema (version 2: shared payloads of multi-recipient submits), the same tables as the SQLite one. Times are Unix milliseconds
/// (bigint). <c>mailbox_depth</c> is kept by a row trigger; an enqueue locks the recipient's depth row before it
/// inserts, so each device's message seqs commit in order (a fetch "after seq N" never skips a late commit).
/// </summary>
internal static class PostgresSchema
{
    public const int Version = 2;

    /// <summary>The schema's statements, run one by one (a prepared statement holds one command).</summary>
    public static readonly string[] Statements =
    [
        .. Tables.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.TrimEnd(';')).Where(s => s.Length > 0),
        DepthFunction,
        DepthTrigger,
        "ALTER TABLE messages ADD COLUMN IF NOT EXISTS payload bigint",
        "ALTER TABLE accounts ADD COLUMN IF NOT EXISTS head_pending boolean NOT NULL DEFAULT false",
        "CREATE INDEX IF NOT EXISTS accounts_head_pending ON accounts (account) WHERE head_pending",
        "CREATE TABLE IF NOT EXISTS payloads (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body bytea NOT NULL, received_at bigint NOT NULL)",
        "CREATE INDEX IF NOT EXISTS payloads_by_age ON payloads (received_at)",
        "CREATE INDEX IF NOT EXISTS messages_by_payload ON messages (payload) WHERE payload IS NOT NULL",
        ReleasePayloadFunction,
        ReleasePayloadTrigger,
    ];

    // Version 2: a multi-recipient submit's shared ciphertext is stored once in payloads and named by each recipient's
    // mailbox row; it goes with the last row that names it. Under READ COMMITTED two last acks committing together can
    // each still see the other's row and both keep the payload: the sweep removes payloads no row names.
    private const string ReleasePayloadFunction = """
        CREATE OR REPLACE FUNCTION enigm_release_payload() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM payloads WHERE id = OLD.payload AND NOT EXISTS (SELECT 1 FROM messages WHERE payload = OLD.payload);
            RETURN OLD;
        END
        $$
        """;

    private const string ReleasePayloadTrigger = """
        CREATE OR REPLACE TRIGGER messages_release_payload AFTER DELETE ON messages
            FOR EACH ROW WHEN (OLD.payload IS NOT NULL) EXECUTE FUNCTION enigm_release_payload()
        """;

    private const string DepthFunction = """
        CREATE OR REPLACE FUNCTION enigm_mailbox_depth() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO mailbox_depth AS d (account, device, messages, bytes)
                VALUES (NEW.account, NEW.device, 1, octet_length(NEW.body))
                ON CONFLICT (account, device) DO UPDATE SET messages = d.messages + 1, bytes = d.bytes + octet_length(NEW.body);
                RETURN NEW;
            END IF;
            UPDATE mailbox_depth SET messages = messages - 1, bytes = bytes - octet_length(OLD.body)
            WHERE account = OLD.account AND device = OLD.device;
            RETURN OLD;
        END
        $$
        """;

    private const string DepthTrigger = """
        CREATE OR REPLACE TRIGGER messages_depth AFTER INSERT OR DELETE ON messages
            FOR EACH ROW EXECUTE FUNCTION enigm_mailbox_depth()
        """;

    private const string Tables = """
        CREATE TABLE IF NOT EXISTS schema_version (version int NOT NULL);
        CREATE TABLE IF NOT EXISTS accounts (
            account text PRIMARY KEY,
            device_log bytea NOT NULL,
            log_entries int NOT NULL,
            created_at bigint NOT NULL,
            disabled boolean NOT NULL DEFAULT false,
            delivery_token_hash bytea
        );
        CREATE TABLE IF NOT EXISTS devices (
            account text NOT NULL,
            device text NOT NULL,
            revoked boolean NOT NULL,
            PRIMARY KEY (account, device)
        );
        CREATE TABLE IF NOT EXISTS challenges (
            hash bytea PRIMARY KEY,
            account text NOT NULL,
            device text NOT NULL,
            expires_at bigint NOT NULL
        );
        CREATE TABLE IF NOT EXISTS tokens (
            hash bytea PRIMARY KEY,
            account text NOT NULL,
            device text NOT NULL,
            expires_at bigint NOT NULL
        );
        CREATE INDEX IF NOT EXISTS tokens_by_device ON tokens (account, device);
        CREATE TABLE IF NOT EXISTS bundles (
            account text NOT NULL,
            device text NOT NULL,
            bundle bytea NOT NULL,
            PRIMARY KEY (account, device)
        );
        CREATE TABLE IF NOT EXISTS one_time_prekeys (
            account text NOT NULL,
            device text NOT NULL,
            kind smallint NOT NULL,
            id bigint NOT NULL,
            key bytea NOT NULL,
            PRIMARY KEY (account, device, kind, id)
        );
        CREATE TABLE IF NOT EXISTS handed_out_prekeys (
            account text NOT NULL,
            device text NOT NULL,
            kind smallint NOT NULL,
            id bigint NOT NULL,
            PRIMARY KEY (account, device, kind, id)
        );
        CREATE TABLE IF NOT EXISTS messages (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            account text NOT NULL,
            device text NOT NULL,
            message_id bytea NOT NULL,
            body bytea NOT NULL,
            received_at bigint NOT NULL,
            UNIQUE (account, device, message_id)
        );
        CREATE INDEX IF NOT EXISTS messages_by_mailbox ON messages (account, device, seq);
        CREATE INDEX IF NOT EXISTS messages_by_age ON messages (received_at);
        CREATE TABLE IF NOT EXISTS mailbox_depth (
            account text NOT NULL,
            device text NOT NULL,
            messages bigint NOT NULL,
            bytes bigint NOT NULL,
            PRIMARY KEY (account, device)
        );
        CREATE TABLE IF NOT EXISTS attachments (
            id text PRIMARY KEY,
            owner text NOT NULL,
            length bigint NOT NULL,
            created_at bigint NOT NULL
        );
        CREATE TABLE IF NOT EXISTS attachment_chunks (
            id text NOT NULL,
            idx bigint NOT NULL,
            data bytea NOT NULL,
            PRIMARY KEY (id, idx)
        );
        CREATE TABLE IF NOT EXISTS tree_nodes (
            level int NOT NULL,
            idx bigint NOT NULL,
            hash bytea NOT NULL,
            PRIMARY KEY (level, idx)
        );
        CREATE TABLE IF NOT EXISTS tree_leaves (
            idx bigint PRIMARY KEY,
            account text NOT NULL,
            data bytea NOT NULL
        );
        CREATE INDEX IF NOT EXISTS tree_leaves_by_account ON tree_leaves (account, idx);
        CREATE TABLE IF NOT EXISTS rendezvous (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            channel text NOT NULL,
            payload bytea NOT NULL,
            created_at bigint NOT NULL
        );
        CREATE INDEX IF NOT EXISTS rendezvous_by_channel ON rendezvous (channel, seq);
        """;
}
