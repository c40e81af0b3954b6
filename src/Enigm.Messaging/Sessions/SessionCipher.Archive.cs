using System.Security.Cryptography;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Prekeys;
using Enigm.Messaging.Ratchet;
using Enigm.Messaging.Setup;

namespace Enigm.Messaging.Sessions;

/// <summary>
/// Simultaneous initiation and archived sessions (docs/protocol.md, "Simultaneous initiation"). When both devices
/// start a session to each other before either has answered, each holds its own unanswered initiation and
/// receives the other's. Both pick the same winner without talking: the session whose PQXDH initial message has
/// the smaller SHA-256 (compared as unsigned big-endian bytes). The winner's initiator keeps its session and opens
/// the loser's messages with a responder session kept in the archive; the loser's initiator takes the winner's
/// session as a responder and archives its own. No message is lost: the archive opens whatever the peer sent on
/// the losing session, and a ratchet message that only an archived session opens promotes that session (the
/// peer uses it), so both sides end on one session even when delivery reorders.
/// </summary>
public sealed partial class SessionCipher
{
    /// <summary>True when this device's own unanswered initiation wins against the peer's initial message.</summary>
    private static bool OwnInitiationWins(byte[] ownInitialMessage, byte[] peerInitialHash) =>
        SHA256.HashData(ownInitialMessage).AsSpan().SequenceCompareTo(peerInitialHash) < 0;

    /// <summary>
    /// What a session throws for a message of another session: it fails authentication, names an epoch or ratchet
    /// key this session already left behind (replay), or comes from another identity.
    /// </summary>
    private static bool IsNotThisSession(Exception e) =>
        e is RatchetAuthenticationException or RatchetReplayException or IdentityMismatchException;

    private static int? ArchivedIndex(SessionRecord record, byte[] initialHash)
    {
        for (var i = 0; i < record.Archived.Count; i++)
            if (record.Archived[i].AcceptedInitialHash is { } hash && CryptographicOperations.FixedTimeEquals(hash, initialHash))
                return i;
        return null;
    }

    /// <summary>Our initiation won: open the peer's losing session as a responder, only to read what it sent on it.</summary>
    private byte[] AcceptIntoArchive(string key, SessionRecord record, VerifiedIdentity sender, byte[] initial, byte[] initialHash, byte[] ratchetMessage)
    {
        RequireSameIdentity(record, sender);
        using var response = PqxdhResponder.Accept(self, prekeys, sender, initial, _policy, _providers);
        using var session = RatchetSession.CreateResponder(response.SharedSecret.Span, response.AssociatedData, response.ResponderRatchetPrivateKey, _providers, limits);
        var plaintext = session.Decrypt(ratchetMessage);
        sessions.Store(key, record.WithArchived(new ArchivedSession(session.Serialize(), sender.Binding, initialHash)).Encode());
        return plaintext;
    }

    /// <summary>
    /// A ratchet message: the current session first; if it does not authenticate there, an archived session the
    /// peer may still be using, which is then promoted to current (the peer has shown it uses it).
    /// </summary>
    private byte[] DecryptRatchetMessage(string key, SessionRecord record, VerifiedIdentity sender, byte[] ratchetMessage)
    {
        try
        {
            RequireSameIdentity(record, sender);
            return DecryptWith(key, record, ratchetMessage, peerAnswered: true);
        }
        catch (Exception e) when (IsNotThisSession(e) && record.Archived.Count > 0)
        {
            for (var i = 0; i < record.Archived.Count; i++)
            {
                try
                {
                    return DecryptArchived(key, record, i, sender, ratchetMessage, promote: true);
                }
                catch (Exception other) when (IsNotThisSession(other))
                {
                    // Not this one either; the current session's error is the one reported.
                }
            }

            throw;
        }
    }

    private byte[] DecryptArchived(string key, SessionRecord record, int index, VerifiedIdentity sender, byte[] ratchetMessage, bool promote)
    {
        var archived = record.Archived[index];
        if (!CryptographicOperations.FixedTimeEquals(archived.PeerBinding, sender.Binding))
            throw new IdentityMismatchException($"The archived session with {sender} was set up with another identity of that device.");
        using var session = RatchetSession.Deserialize(archived.State, _providers, limits, _policy);
        var plaintext = session.Decrypt(ratchetMessage);
        var rest = record.Archived.Where((_, i) => i != index).ToList();
        SessionRecord updated;
        if (promote)
        {
            // The archived session becomes current; the current one takes its place in the archive.
            updated = new SessionRecord(session.Serialize(), null, archived.PeerBinding, archived.AcceptedInitialHash) { Archived = rest }
                .WithArchived(new ArchivedSession(record.State, record.PeerBinding, record.AcceptedInitialHash));
            _skippedKeys.Update(key, session.SkippedKeyIds);
        }
        else
        {
            updated = record with { Archived = [.. record.Archived.Select((a, i) => i == index ? a with { State = session.Serialize() } : a)] };
        }

        sessions.Store(key, updated.Encode());
        return plaintext;
    }
}
