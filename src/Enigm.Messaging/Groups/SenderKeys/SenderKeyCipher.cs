using System.Collections.Concurrent;
using System.Security.Cryptography;
using Enigm.Crypto.Errors;
using Enigm.Crypto.Suites;
using Enigm.Messaging.Errors;
using Enigm.Messaging.Groups.Roster;
using Enigm.Messaging.Sessions;

namespace Enigm.Messaging.Groups.SenderKeys;

/// <summary>
/// One device's sender keys (Signal's sender-key design as libsignal implements it in <c>group_cipher.rs</c>:
/// a per-sender symmetric chain plus a signing key per chain, distributed over the pairwise sessions; docs/groups.md).
/// <list type="bullet">
/// <item><see cref="Encrypt"/>: one AES-256-GCM encryption of the content for the whole group, signed by the chain's
/// key. A new chain is started before the message when a device the current chain was given to is no longer a member
/// device (a removal, a removed or revoked device), and periodically (N messages or T time); a member device that
/// lacks the chain gets its <em>current</em> state only, so it cannot derive any earlier message key.</item>
/// <item><see cref="ProcessDistribution"/>: accepts a chain from a member device, only as its own (the pairwise
/// session's authenticated peer must be the sender the distribution names).</item>
/// <item><see cref="Decrypt"/>: the chain must be known and its sender a current member device; the signature is
/// checked before any key is derived; skipped keys and forward jumps are bounded; replays are rejected; a failure
/// changes nothing.</item>
/// </list>
/// State lives in an <see cref="ISenderKeyStore"/>, one record per group; operations on one group are serialised.
/// </summary>
public sealed class SenderKeyCipher
{
    private readonly SessionAddress _self;
    private readonly ISenderKeyStore _store;
    private readonly SenderKeyOptions _options;
    private readonly ConcurrentDictionary<GroupId, Lock> _gates = new();

    public SenderKeyCipher(SessionAddress self, ISenderKeyStore store, SenderKeyOptions? options = null)
    {
        _self = self ?? throw new ArgumentNullException(nameof(self));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? SenderKeyOptions.Default;
        _options.Validate();
    }

    /// <summary>This device.</summary>
    public SessionAddress Self => _self;

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> once for every device of <paramref name="membership"/> (which must
    /// include this device), rotating the chain first when the rules above require it.
    /// </summary>
    public GroupSendResult Encrypt(GroupMembership membership, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (plaintext.Length > GroupMessage.MaxPlaintextSize) throw new MessageTooLargeException(plaintext.Length, GroupMessage.MaxPlaintextSize);
        if (!membership.Contains(_self))
            throw new SenderKeyRejectedException($"This device ({_self}) is not a member device of group {membership.GroupId.Hex[..16]}…; it cannot send to it.");
        var suite = _options.Policy.Preferred;
        lock (Gate(membership.GroupId))
        {
            using var state = Load(membership.GroupId);
            var now = _options.Time.GetUtcNow();
            var rotation = RotationNeeded(state.Own, membership, now);
            if (rotation != SenderKeyRotation.None)
            {
                state.Own?.Dispose();
                state.Own = NewChain(now, membership.MemberSince(_self));
            }

            var own = state.Own!;
            var recipients = membership.Devices.Where(d => !d.Equals(_self)).ToList();
            // A device lacks the chain if it never got it, or left and came back since (it may have dropped it).
            var newcomers = recipients.Where(d => !own.DistributedTo.TryGetValue(d, out var since) || since != membership.MemberSince(d)).ToList();
            var distribution = newcomers.Count == 0
                ? null
                : new SenderKeyDistribution(suite.Id, membership.GroupId, _self, own.ChainId, own.Iteration, own.ChainKey, own.SigningAlgorithm, own.SigningKey.PublicKey).Encode();
            foreach (var device in newcomers) own.DistributedTo[device] = membership.MemberSince(device);

            var iteration = own.Iteration;
            var seed = SenderKeyKdf.Step(own.ChainKey);
            own.Iteration++;
            var ciphertext = new byte[plaintext.Length + 16];
            var message = new GroupMessage(suite.Id, membership.GroupId, own.ChainId, iteration, ciphertext, []);
            Span<byte> key = stackalloc byte[SenderKeyKdf.KeySize];
            Span<byte> nonce = stackalloc byte[SenderKeyKdf.NonceSize];
            try
            {
                SenderKeyKdf.MessageKey(_options.Providers.Kdf(suite.RatchetKdf), seed, key, nonce);
                _options.Providers.Aead(suite.Aead).Encrypt(key, nonce, plaintext, message.AssociatedData(), ciphertext);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
                CryptographicOperations.ZeroMemory(seed);
            }

            var signature = _options.Providers.Signature(own.SigningAlgorithm).Sign(own.SigningKey, message.SignedContent());
            var encoded = (message with { Signature = signature }).Encode();
            _store.Store(membership.GroupId, state.Serialize());
            return new GroupSendResult(encoded, distribution, newcomers, recipients, rotation);
        }
    }

    /// <summary>
    /// Accepts a distribution that arrived over the pairwise session with <paramref name="from"/> (the session's
    /// verified peer). Returns false for a chain already known (a duplicate). Typed errors:
    /// <see cref="MalformedInputException"/> (and the header's), <see cref="SenderKeyRejectedException"/>.
    /// </summary>
    public bool ProcessDistribution(GroupMembership membership, SessionAddress from, ReadOnlyMemory<byte> distribution)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(from);
        var d = SenderKeyDistribution.Decode(distribution, _options.Policy);
        if (!d.GroupId.Equals(membership.GroupId))
            throw new SenderKeyRejectedException($"The sender-key distribution is for group {d.GroupId.Hex[..16]}…, not {membership.GroupId.Hex[..16]}….");
        if (!d.Sender.Equals(from))
            throw new SenderKeyRejectedException($"The sender-key distribution names {d.Sender} as its sender but came over the session with {from}.");
        if (from.Equals(_self)) throw new SenderKeyRejectedException("A sender-key distribution from this device itself.");
        if (!membership.Contains(from))
            throw new SenderKeyRejectedException($"{from} is not a member device of group {membership.GroupId.Hex[..16]}….");
        try
        {
            _options.Providers.Signature(d.SigningAlgorithm).ValidatePublicKey(d.SigningPublicKey);
        }
        catch (Exception e) when (e is InvalidKeyException or MalformedInputException)
        {
            throw new SenderKeyRejectedException($"The sender-key signing key is not a valid {d.SigningAlgorithm.Name} key.", e);
        }

        lock (Gate(membership.GroupId))
        {
            using var state = Load(membership.GroupId);
            Prune(state, membership);
            if (state.Own is { } own && own.ChainId.AsSpan().SequenceEqual(d.ChainId))
                throw new SenderKeyRejectedException("The distribution names this device's own chain id.");
            if (state.Find(d.ChainId) is { } known)
            {
                return known.Sender.Equals(from)
                    ? false
                    : throw new SenderKeyRejectedException($"Chain {Convert.ToHexStringLower(d.ChainId)} already belongs to another sender.");
            }

            state.Received.Add(new ReceivedSenderChain(d.ChainId, from, d.SigningAlgorithm, d.SigningPublicKey, (byte[])d.ChainKey.Clone(), d.Iteration, state.NextOrder++));
            CryptographicOperations.ZeroMemory(d.ChainKey);
            var chains = state.Received.Where(c => c.Sender.Equals(from)).OrderBy(c => c.Order).ToList();
            foreach (var old in chains.Take(Math.Max(0, chains.Count - _options.MaxChainsPerSender))) state.Drop(old);
            _store.Store(membership.GroupId, state.Serialize());
            return true;
        }
    }

    /// <summary>
    /// Decrypts a group message of the group of <paramref name="membership"/>. Typed errors:
    /// <see cref="MalformedInputException"/> (and the header's), <see cref="SenderKeyRejectedException"/>,
    /// <see cref="GroupMessageReplayException"/>. On any error the stored state is as it was.
    /// </summary>
    public GroupDecryptedMessage Decrypt(GroupMembership membership, ReadOnlyMemory<byte> encoded)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var message = GroupMessage.Decode(encoded, _options.Policy);
        if (!message.GroupId.Equals(membership.GroupId))
            throw new SenderKeyRejectedException($"The group message is for group {message.GroupId.Hex[..16]}…, not {membership.GroupId.Hex[..16]}….");
        var suite = _options.Policy.Require(message.SuiteId);
        lock (Gate(membership.GroupId))
        {
            using var state = Load(membership.GroupId);
            Prune(state, membership);
            var chain = state.Find(message.ChainId)
                ?? throw new SenderKeyRejectedException("The group message is on a chain this device does not have (its distribution has not arrived, or its sender is no longer a member device).");
            if (!_options.Providers.Signature(chain.SigningAlgorithm).Verify(chain.SigningPublicKey, message.SignedContent(), message.Signature))
                throw new SenderKeyRejectedException($"The group message's signature does not verify with the chain key of {chain.Sender}.");

            var plan = SenderKeyReceivePlan.For(chain, message.Iteration, state.Skipped, _options.MaxForwardJump);
            var plaintext = new byte[message.Ciphertext.Length - 16];
            Span<byte> key = stackalloc byte[SenderKeyKdf.KeySize];
            Span<byte> nonce = stackalloc byte[SenderKeyKdf.NonceSize];
            try
            {
                SenderKeyKdf.MessageKey(_options.Providers.Kdf(suite.RatchetKdf), plan.Seed, key, nonce);
                _options.Providers.Aead(suite.Aead).Decrypt(key, nonce, message.Ciphertext, message.AssociatedData(), plaintext);
            }
            catch (DecryptionFailedException e)
            {
                plan.Discard();
                throw new SenderKeyRejectedException($"The group message from {chain.Sender} does not authenticate.", e);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }

            plan.Commit(chain, state.Skipped, _options.MaxSkippedKeys);
            _store.Store(membership.GroupId, state.Serialize());
            return new GroupDecryptedMessage(chain.Sender, plaintext);
        }
    }

    /// <summary>Forgets every sender key of <paramref name="group"/> (after leaving or being removed).</summary>
    public void Forget(GroupId group)
    {
        lock (Gate(group)) _store.Delete(group);
    }

    private SenderKeyRotation RotationNeeded(OwnSenderChain? own, GroupMembership membership, DateTimeOffset now)
    {
        if (own is null) return SenderKeyRotation.FirstChain;
        if (own.DistributedTo.Keys.Any(d => !membership.Contains(d))) return SenderKeyRotation.MembershipShrank;
        if (own.MemberSince != membership.MemberSince(_self)) return SenderKeyRotation.Rejoined;
        // The counter end forces a new chain whatever the options say: an iteration (and so a nonce) is never reused.
        if (own.Iteration >= _options.RotateAfterMessages || own.Iteration >= uint.MaxValue - 1 || now - own.CreatedAt >= _options.RotateAfter)
            return SenderKeyRotation.Periodic;
        return SenderKeyRotation.None;
    }

    private OwnSenderChain NewChain(DateTimeOffset now, long memberSince) =>
        new(RandomNumberGenerator.GetBytes(SenderKeyDistribution.ChainIdLength), RandomNumberGenerator.GetBytes(SenderKeyKdf.KeySize), 0,
            _options.Providers.Signature(_options.SigningAlgorithm).GenerateKey(), DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()), memberSince);

    /// <summary>Chains of devices that are no longer member devices are forgotten: nothing of theirs decrypts any more.</summary>
    private static void Prune(SenderKeyState state, GroupMembership membership)
    {
        foreach (var chain in state.Received.Where(c => !membership.Contains(c.Sender)).ToList()) state.Drop(chain);
    }

    private SenderKeyState Load(GroupId group) =>
        _store.Load(group) is { } bytes ? SenderKeyState.Deserialize(bytes, _options.Providers, _options.MaxSkippedKeys) : new SenderKeyState();

    private Lock Gate(GroupId group) => _gates.GetOrAdd(group, _ => new Lock());
}
