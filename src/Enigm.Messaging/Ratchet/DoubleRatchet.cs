using System.Formats.Cbor;
using System.Security.Cryptography;
using Enigm.Crypto.Encoding;
using Enigm.Crypto.Primitives;
using Enigm.Crypto.Secrets;
using Enigm.Messaging.Errors;

namespace Enigm.Messaging.Ratchet;

/// <summary>
/// What decrypting one message would change in the classical ratchet, computed without changing it
/// (§3.5: "if an exception is raised … changes to the state object are discarded").
/// </summary>
internal sealed class ClassicalReceivePlan
{
    public required byte[] MessageKey { get; init; }

    public SkippedKeyId? UsedSkippedKey { get; init; }

    public byte[]? NewRootKey { get; init; }

    public byte[]? NewRemoteKey { get; init; }

    public byte[]? NewReceivingChain { get; init; }

    public uint NewReceived { get; init; }

    public List<(SkippedKeyId Id, byte[] Key)> NewSkippedKeys { get; } = [];
}

/// <summary>
/// The classical half of the Triple Ratchet: the Double Ratchet of §3 with X25519, KDF_RK = HKDF-SHA-256
/// and KDF_CK = HMAC-SHA-256 (§3.1, with the specification's recommended algorithms). The new sending ratchet key is generated lazily
/// at the next send (§8.5 "Deferring new ratchet key generation").
/// </summary>
internal sealed class DoubleRatchet : IDisposable
{
    private const int KeySize = RatchetKdf.KeySize;

    private readonly IKeyAgreement _x25519;
    private readonly RatchetKdf _kdf;
    private readonly List<byte[]> _retiredRemoteKeys = [];
    private PrivateKey _sendingKey;
    private byte[]? _remoteKey;
    private byte[] _rootKey;
    private byte[]? _sendingChain;
    private byte[]? _receivingChain;
    private uint _sent;
    private uint _received;
    private uint _previousSent;

    private DoubleRatchet(IKeyAgreement x25519, RatchetKdf kdf, PrivateKey sendingKey, byte[] rootKey)
    {
        _x25519 = x25519;
        _kdf = kdf;
        _sendingKey = sendingKey;
        _rootKey = rootKey;
    }

    /// <summary>The current sending ratchet private key (what a full state compromise reveals).</summary>
    internal PrivateKey SendingKey => _sendingKey;

    /// <summary>§3.3 RatchetInitAlice: a fresh ratchet key, and the first sending chain from DH(DHs, Bob's key).</summary>
    public static DoubleRatchet Initiator(IKeyAgreement x25519, RatchetKdf kdf, byte[] rootKey, ReadOnlySpan<byte> responderRatchetPublicKey)
    {
        var ratchet = new DoubleRatchet(x25519, kdf, x25519.GenerateKey(), rootKey)
        {
            _remoteKey = responderRatchetPublicKey.ToArray(),
        };
        ratchet._sendingChain = ratchet.StepRoot(ratchet._remoteKey);
        return ratchet;
    }

    /// <summary>§3.3 RatchetInitBob: Bob's signed prekey is his first ratchet key; no chains yet.</summary>
    public static DoubleRatchet Responder(IKeyAgreement x25519, RatchetKdf kdf, byte[] rootKey, PrivateKey responderRatchetKey) =>
        new(x25519, kdf, responderRatchetKey, rootKey);

    public bool CanSend => _sendingChain is not null || _remoteKey is not null;

    /// <summary>§3.4 RatchetEncrypt (key part): header fields and the message key, advancing CKs.</summary>
    public (byte[] PublicKey, uint PreviousChainLength, uint MessageNumber, byte[] MessageKey) NextSendingKey()
    {
        if (_sendingChain is null)
        {
            if (_remoteKey is null)
                throw new RatchetNotReadyException("The responder can send only after the initiator's first message has arrived.");
            // §3.5 DHRatchet, second half, deferred to here (§8.5).
            var fresh = _x25519.GenerateKey();
            _sendingKey.Dispose();
            _sendingKey = fresh;
            _previousSent = _sent;
            _sent = 0;
            _sendingChain = StepRoot(_remoteKey);
        }

        if (_sent == uint.MaxValue)
            throw new RatchetTooFarAheadException("Sending chain exhausted; the session needs a fresh setup.");
        var messageKey = new byte[KeySize];
        RatchetKdf.ChainStep(_sendingChain, _sendingChain, messageKey);
        return (_sendingKey.PublicKey, _previousSent, _sent++, messageKey);
    }

    /// <summary>§3.5 RatchetDecrypt (key part), as a plan: TrySkippedMessageKeys, SkipMessageKeys, DHRatchet, KDF_CK.</summary>
    public ClassicalReceivePlan PlanReceive(RatchetHeader header, SkippedMessageKeys skipped, RatchetLimits limits)
    {
        var id = SkippedKeyId.Classical(header.RatchetPublicKey, header.MessageNumber);
        if (skipped.TryPeek(id, out var stored))
            return new ClassicalReceivePlan { MessageKey = (byte[])stored.Clone(), UsedSkippedKey = id, NewReceived = _received };

        var isCurrent = _remoteKey is not null && CryptographicOperations.FixedTimeEquals(header.RatchetPublicKey, _remoteKey);
        if (header.MessageNumber == uint.MaxValue)
            throw new RatchetTooFarAheadException("Message number at the end of the counter range.");
        if (isCurrent && _receivingChain is null)
            throw new RatchetAuthenticationException("Header names a ratchet key that has no receiving chain.");
        if (isCurrent)
        {
            if (header.MessageNumber < _received)
                throw new RatchetReplayException($"Message {header.MessageNumber} of this chain was already decrypted or its key evicted.");
            var plan = new ClassicalReceivePlan { MessageKey = new byte[KeySize], NewReceivingChain = (byte[])_receivingChain!.Clone(), NewReceived = header.MessageNumber + 1 };
            Skip(plan.NewReceivingChain, _remoteKey!, _received, header.MessageNumber, limits, plan.NewSkippedKeys);
            RatchetKdf.ChainStep(plan.NewReceivingChain, plan.NewReceivingChain, plan.MessageKey);
            return plan;
        }

        if (_retiredRemoteKeys.Any(k => CryptographicOperations.FixedTimeEquals(k, header.RatchetPublicKey)))
            throw new RatchetReplayException("Message of an earlier chain was already decrypted or its key evicted.");

        // A new ratchet key from the peer: skip what is left of the current chain up to PN, then step.
        var stepPlanSkipped = new List<(SkippedKeyId, byte[])>();
        if (_receivingChain is not null && _remoteKey is not null)
        {
            if (header.PreviousChainLength < _received)
                throw new RatchetAuthenticationException("Header claims fewer messages on the previous chain than were received.");
            var chain = (byte[])_receivingChain.Clone();
            Skip(chain, _remoteKey, _received, header.PreviousChainLength, limits, stepPlanSkipped);
            CryptographicOperations.ZeroMemory(chain);
        }

        var newRoot = new byte[KeySize];
        var newChain = new byte[KeySize];
        using (var dh = _x25519.Agree(_sendingKey, header.RatchetPublicKey))
            _kdf.RootStep(_rootKey, dh.Span, newRoot, newChain);
        var stepped = new ClassicalReceivePlan
        {
            MessageKey = new byte[KeySize],
            NewRootKey = newRoot,
            NewRemoteKey = header.RatchetPublicKey,
            NewReceivingChain = newChain,
            NewReceived = header.MessageNumber + 1,
        };
        stepped.NewSkippedKeys.AddRange(stepPlanSkipped);
        Skip(newChain, header.RatchetPublicKey, 0, header.MessageNumber, limits, stepped.NewSkippedKeys);
        RatchetKdf.ChainStep(newChain, newChain, stepped.MessageKey);
        return stepped;
    }

    public void Commit(ClassicalReceivePlan plan, SkippedMessageKeys skipped, RatchetLimits limits)
    {
        if (plan.UsedSkippedKey is { } used)
        {
            skipped.Remove(used);
            return;
        }

        if (plan.NewRemoteKey is not null)
        {
            if (_remoteKey is not null)
            {
                _retiredRemoteKeys.Add(_remoteKey);
                if (_retiredRemoteKeys.Count > RatchetLimits.RetiredRemoteKeys) _retiredRemoteKeys.RemoveAt(0);
            }

            _remoteKey = plan.NewRemoteKey;
            CryptographicOperations.ZeroMemory(_rootKey);
            _rootKey = plan.NewRootKey!;
            if (_sendingChain is not null) CryptographicOperations.ZeroMemory(_sendingChain);
            _sendingChain = null;
        }

        if (_receivingChain is not null) CryptographicOperations.ZeroMemory(_receivingChain);
        _receivingChain = plan.NewReceivingChain;
        _received = plan.NewReceived;
        foreach (var (id, key) in plan.NewSkippedKeys) skipped.Add(id, key, limits.MaxSkippedKeys);
    }

    public void WriteTo(CborWriter writer)
    {
        writer.WriteStartArray(9);
        using (var material = _sendingKey.ExportPrivateMaterial()) writer.WriteByteString(material.Span);
        StateCbor.WriteOptional(writer, _remoteKey);
        writer.WriteByteString(_rootKey);
        StateCbor.WriteOptional(writer, _sendingChain);
        StateCbor.WriteOptional(writer, _receivingChain);
        writer.WriteUInt32(_sent);
        writer.WriteUInt32(_received);
        writer.WriteUInt32(_previousSent);
        writer.WriteStartArray(_retiredRemoteKeys.Count);
        foreach (var key in _retiredRemoteKeys) writer.WriteByteString(key);
        writer.WriteEndArray();
        writer.WriteEndArray();
    }

    public static DoubleRatchet ReadFrom(CborReader reader, IKeyAgreement x25519, RatchetKdf kdf)
    {
        CanonicalCbor.ReadArrayStart(reader, 9);
        var privateKey = StateCbor.ReadExact(reader, KeySize);
        PrivateKey sendingKey;
        try
        {
            sendingKey = x25519.ImportPrivateKey(privateKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }

        var ratchet = new DoubleRatchet(x25519, kdf, sendingKey, [])
        {
            _remoteKey = StateCbor.ReadOptional(reader, KeySize),
            _rootKey = StateCbor.ReadExact(reader, KeySize),
            _sendingChain = StateCbor.ReadOptional(reader, KeySize),
            _receivingChain = StateCbor.ReadOptional(reader, KeySize),
            _sent = StateCbor.ReadUInt32(reader),
            _received = StateCbor.ReadUInt32(reader),
            _previousSent = StateCbor.ReadUInt32(reader),
        };
        var retired = reader.ReadStartArray() ?? 0;
        if (retired > RatchetLimits.RetiredRemoteKeys)
            throw new Crypto.Errors.MalformedInputException("Too many retired ratchet keys in session state.");
        for (var i = 0; i < retired; i++) ratchet._retiredRemoteKeys.Add(StateCbor.ReadExact(reader, KeySize));
        reader.ReadEndArray();
        reader.ReadEndArray();
        return ratchet;
    }

    public void Dispose()
    {
        _sendingKey.Dispose();
        CryptographicOperations.ZeroMemory(_rootKey);
        if (_sendingChain is not null) CryptographicOperations.ZeroMemory(_sendingChain);
        if (_receivingChain is not null) CryptographicOperations.ZeroMemory(_receivingChain);
    }

    private byte[] StepRoot(byte[] remoteKey)
    {
        var chain = new byte[KeySize];
        using SecretBytes dh = _x25519.Agree(_sendingKey, remoteKey);
        _kdf.RootStep(_rootKey, dh.Span, _rootKey, chain);
        return chain;
    }

    /// <summary>§3.5 SkipMessageKeys: store keys from <paramref name="from"/> up to (not including) <paramref name="until"/>.</summary>
    private static void Skip(byte[] chain, byte[] remoteKey, uint from, uint until, RatchetLimits limits, List<(SkippedKeyId, byte[])> output)
    {
        if (until < from) return;
        if (until - from > (uint)limits.MaxForwardJump)
            throw new RatchetTooFarAheadException($"Message is {until - from} messages ahead of its chain; the limit is {limits.MaxForwardJump}.");
        for (var n = from; n < until; n++)
        {
            var key = new byte[KeySize];
            RatchetKdf.ChainStep(chain, chain, key);
            output.Add((SkippedKeyId.Classical(remoteKey, n), key));
        }
    }
}
