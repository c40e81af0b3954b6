using System.Buffers.Binary;
using Enigm.Crypto.Algorithms;
using Enigm.Crypto.Providers;
using Enigm.Messaging.Ratchet;
using Enigm.Messaging.Ratchet.PostQuantum;

namespace Enigm.Fuzz.Targets;

/// <summary>
/// The Triple Ratchet's parsers of untrusted bytes. Byte 0 picks: 0 the wire message parser
/// (<see cref="RatchetMessage.Decode"/>; accepted input must re-encode to itself), 1 a full
/// <see cref="RatchetSession.Decrypt"/> on a fixed session (only the fixture's own messages may be
/// accepted, and only to their own plaintext), 2 the SPQR chunk path: records of chunk index (2 bytes) ‖
/// 32-byte chunk fed to a key agreement awaiting an encapsulation key (an accepted item must have
/// passed its authenticator, which only the fixture's genuine chunks can), 3 the session state
/// parser (<see cref="RatchetSession.Deserialize"/>; accepted state must re-serialise to itself).
/// </summary>
internal static class RatchetTargets
{
    private static readonly Lazy<RatchetFixture> Fixture = new(RatchetFixture.Create);

    public static FuzzTarget Message { get; } = new(
        "ratchet-message",
        "Ratchet wire message / session decrypt / SPQR chunk stream / session state (byte 0 picks); canonical round trips, no forged plaintext, no unauthenticated PQ item.",
        static () => _ = Fixture.Value,
        Run,
        Seeds);

    private static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) throw HarnessReject.Empty();
        var body = input[1..].ToArray();
        var fixture = Fixture.Value;
        switch (input[0] % 4)
        {
            case 0:
                var (header, encodedHeader, ciphertext) = RatchetMessage.Decode(body);
                FuzzInvariantException.Check(RatchetMessage.Encode(RatchetMessage.EncodeHeader(header), ciphertext).AsSpan().SequenceEqual(body), "ratchet message does not re-encode to its input");
                FuzzInvariantException.Check(encodedHeader.AsSpan().SequenceEqual(RatchetMessage.EncodeHeader(header)), "header bytes differ from the parsed header");
                break;
            case 1:
                using (var session = RatchetSession.Deserialize(fixture.ReceiverState))
                {
                    // Seeds may come from another process (another random ratchet key of the sender), so the
                    // check is on content: only a plaintext the fixture's sender encrypted can come out.
                    var plaintext = session.Decrypt(body);
                    FuzzInvariantException.Check(fixture.Plaintexts.Any(p => p.AsSpan().SequenceEqual(plaintext)), "decrypted to a plaintext the sender never sent (forgery)");
                }

                break;
            case 2:
                RunChunks(body, fixture);
                break;
            default:
                using (var restored = RatchetSession.Deserialize(body))
                    FuzzInvariantException.Check(restored.Serialize().AsSpan().SequenceEqual(body), "session state does not re-serialise to its input");
                break;
        }
    }

    private static void RunChunks(byte[] body, RatchetFixture fixture)
    {
        var kem = CryptoProviders.Default.Kem(KemAlgorithm.MlKem768);
        var agreement = PqKeyAgreement.Create(kem, fixture.Kdf, initiator: false, (byte[])fixture.PqRoot.Clone(), (byte[])fixture.PqAuth.Clone());
        var initial = agreement.InitialEpoch();
        var chains = PqEpochChains.Create(false, 0, initial.InitiatorChain, initial.ResponderChain);
        // The first chunk stored per index is the one the rebuild uses; record whether it is genuine.
        var firstIsGenuine = new Dictionary<ushort, bool>();
        for (var offset = 0; offset + 34 <= body.Length; offset += 34)
        {
            var index = BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(offset));
            var chunk = body.AsSpan(offset + 2, 32).ToArray();
            firstIsGenuine.TryAdd(index, chunk.AsSpan().SequenceEqual(fixture.EkChunk(index)));
            var plan = agreement.PlanReceive(1, index, chunk);
            if (plan is null) continue;
            agreement.Commit(plan, chains);
            if (agreement.Phase == PqPhase.SendingCt)
            {
                FuzzInvariantException.Check(firstIsGenuine.Values.All(g => g), "accepted an encapsulation key rebuilt from forged chunks (authenticator bypass)");
                return;
            }
        }
    }

    private static IEnumerable<FuzzSeed> Seeds()
    {
        var fixture = Fixture.Value;
        var seeds = new List<FuzzSeed>();
        for (var i = 0; i < fixture.Messages.Count; i++)
        {
            seeds.Add(new FuzzSeed($"message-{i}", [0, .. fixture.Messages[i]]));
            seeds.Add(new FuzzSeed($"decrypt-{i}", [1, .. fixture.Messages[i]]));
        }

        var chunks = new List<byte>();
        for (var index = 0; index < 40; index++)
        {
            var record = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(record, (ushort)(index + 3));
            chunks.AddRange(record);
            chunks.AddRange(fixture.EkChunk((ushort)(index + 3)));
        }

        seeds.Add(new FuzzSeed("chunks-40", [2, .. chunks]));
        seeds.Add(new FuzzSeed("state", [3, .. fixture.ReceiverState]));
        return seeds;
    }

    private sealed class RatchetFixture
    {
        public required byte[] ReceiverState { get; init; }

        public required List<byte[]> Messages { get; init; }

        public required List<byte[]> Plaintexts { get; init; }

        public required RatchetKdf Kdf { get; init; }

        public required byte[] PqRoot { get; init; }

        public required byte[] PqAuth { get; init; }

        public required byte[] EkItem { get; init; }

        public byte[] EkChunk(ushort index) => Messaging.Ratchet.ErasureCoding.ReedSolomonErasureCode.Encode(EkItem, index);

        public static RatchetFixture Create()
        {
            var secret = Fixtures.Pattern(32, 1);
            using var bobKey = CryptoProviders.Default.KeyAgreement(KeyAgreementAlgorithm.X25519).ImportPrivateKey(Fixtures.Pattern(32, 2));
            using var alice = RatchetSession.CreateInitiator(secret, "fuzz"u8, bobKey.PublicKey);
            using var bob = RatchetSession.CreateResponder(secret, "fuzz"u8, bobKey);
            var state = bob.Serialize();
            var plaintexts = Enumerable.Range(0, 4).Select(i => Fixtures.Pattern(16 * i, (byte)i)).ToList();
            var messages = plaintexts.Select(p => alice.Encrypt(p)).ToList();

            // A fixed, authenticated encapsulation key for epoch 1: ek ‖ HMAC(auth, "ek" ‖ 1 ‖ ek).
            var kdf = new RatchetKdf(CryptoProviders.Default.Kdf(KdfAlgorithm.HkdfSha256));
            var (root, auth) = (Fixtures.Pattern(32, 3), Fixtures.Pattern(32, 4));
            using var kemKey = CryptoProviders.Default.Kem(KemAlgorithm.MlKem768).DeriveKeyPair(Fixtures.Pattern(64, 5));
            byte[] item = [.. kemKey.PublicKey, .. RatchetKdf.ItemMac(auth, "ek"u8, 1, kemKey.PublicKey)];
            return new RatchetFixture
            {
                ReceiverState = state,
                Messages = messages,
                Plaintexts = plaintexts,
                Kdf = kdf,
                PqRoot = root,
                PqAuth = auth,
                EkItem = item,
            };
        }
    }
}
