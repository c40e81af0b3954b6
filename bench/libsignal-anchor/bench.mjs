// The libsignal anchor of issue 12, measured the way `Enigm.Benchmarks cputime` measures Enigm
// (bench/Enigm.Benchmarks/Infrastructure/CpuTimeRun.cs): each case warmed up, its batch sized to about 20 ms
// of CPU, the cases interleaved round by round (order rotated), median and minimum per operation.
//
//   node bench.mjs [rounds] [--json FILE]
//
// Cases (issue 12, "Speed"): PQXDH setup both sides with a fresh bundle each time (the bundle's keys and
// signatures are made before the timed batch); a 1 KiB encrypt+decrypt pair one direction and alternating,
// ratchet only, no sealed sender; the two pair cases again with session records serialized on every save
// and parsed on every load, as a client that persists its sessions does; and, for reference, one X25519 key
// generation and one agreement through the binding. Every operation hands the
// ciphertext over as bytes, as Enigm's benchmarks do (Encrypt returns bytes, Decrypt takes bytes).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  CiphertextMessageType,
  KEMKeyPair,
  KyberPreKeyRecord,
  PreKeyBundle,
  PreKeyRecord,
  PreKeySignalMessage,
  PrivateKey,
  ProtocolAddress,
  SignalMessage,
  SignedPreKeyRecord,
  processPreKeyBundle,
  signalDecrypt,
  signalDecryptPreKey,
  signalEncrypt,
} from '@signalapp/libsignal-client';
import {
  MemoryIdentityStore,
  MemoryKyberPreKeyStore,
  MemoryPreKeyStore,
  MemorySignedPreKeyStore,
  ObjectSessionStore,
  SerializingSessionStore,
} from './stores.mjs';

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : null;
const positional = args.filter((a, i) => !(jsonAt >= 0 && (i === jsonAt || i === jsonAt + 1)));
const rounds = positional.length > 0 ? Number.parseInt(positional[0], 10) : 11;
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('usage: node bench.mjs [rounds] [--json FILE]');

const BATCH_NS = 20_000_000;
const WARMUP_NS = 200_000_000;
const plaintext = new Uint8Array(1024);
crypto.getRandomValues(plaintext);

// CPU time: process.cpuUsage() (user + system, microsecond resolution). Node 20 has no per-thread CPU clock;
// libsignal's Node binding runs its work on the JS main thread, and the rest of the process is V8's helper
// threads (garbage collection, about a tenth of the main thread's time here), which this includes.
// (/proc/thread-self/schedstat was tried and dropped: the kernel updates it only at scheduler events, so a
// running thread reads a value up to a tick stale.)
const processCpuNs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};
const wallNs = () => Number(process.hrtime.bigint());
const clocks = () => ({ cpu: processCpuNs(), wall: wallNs() });

// ---- Accounts and bundles -----------------------------------------------------------------------------
let nextId = 1;
function account(name, registrationId) {
  const identityKey = PrivateKey.generate();
  return {
    address: ProtocolAddress.new(name, 1),
    identityKey,
    identity: new MemoryIdentityStore(identityKey, registrationId),
    prekeys: new MemoryPreKeyStore(),
    signedPrekeys: new MemorySignedPreKeyStore(),
    kyberPrekeys: new MemoryKyberPreKeyStore(),
    registrationId,
  };
}

// A fresh bundle for `bob`: new one-time X25519 prekey, signed X25519 prekey and signed one-time Kyber-1024
// prekey (KEMKeyPair.generate() is Kyber-1024 in 0.103), their private halves saved in Bob's stores.
async function freshBundle(bob) {
  const [preKeyId, signedId, kyberId] = [nextId++, nextId++, nextId++];
  const preKey = PrivateKey.generate();
  const signed = PrivateKey.generate();
  const signedSignature = bob.identityKey.sign(signed.getPublicKey().serialize());
  const kyber = KEMKeyPair.generate();
  const kyberSignature = bob.identityKey.sign(kyber.getPublicKey().serialize());
  const now = Date.now();
  await bob.prekeys.savePreKey(preKeyId, PreKeyRecord.new(preKeyId, preKey.getPublicKey(), preKey));
  await bob.signedPrekeys.saveSignedPreKey(signedId, SignedPreKeyRecord.new(signedId, now, signed.getPublicKey(), signed, signedSignature));
  await bob.kyberPrekeys.saveKyberPreKey(kyberId, KyberPreKeyRecord.new(kyberId, now, kyber, kyberSignature));
  return PreKeyBundle.new(
    bob.registrationId, 1, preKeyId, preKey.getPublicKey(), signedId, signed.getPublicKey(), signedSignature,
    bob.identityKey.getPublicKey(), kyberId, kyber.getPublicKey(), kyberSignature);
}

// One message from `from` to `to`, handed over as bytes. Returns [plaintext, ciphertext bytes, type].
async function send(from, to, fromSessions, toSessions) {
  const message = await signalEncrypt(plaintext, to.address, from.address, fromSessions, from.identity);
  const bytes = message.serialize();
  const type = message.type();
  const received = type === CiphertextMessageType.Whisper
    ? await signalDecrypt(SignalMessage.deserialize(bytes), from.address, to.address, toSessions, to.identity)
    : await signalDecryptPreKey(PreKeySignalMessage.deserialize(bytes), from.address, to.address, toSessions, to.identity,
      to.prekeys, to.signedPrekeys, to.kyberPrekeys);
  if (received.length !== plaintext.length) throw new Error('decrypted length differs');
  return [received, bytes, type];
}

const alice = account('a0b1c2d3-0000-4000-8000-00000000a11c', 1);
const bob = account('a0b1c2d3-0000-4000-8000-000000000b0b', 2);

// An established session pair: Alice processes a bundle and sends; Bob answers, so Alice's messages are plain
// SignalMessages from then on (a PreKeySignalMessage is sent until the first reply arrives).
async function establishedPair(SessionStoreClass) {
  const pair = { aliceSessions: new SessionStoreClass(), bobSessions: new SessionStoreClass(), aliceSends: true };
  await processPreKeyBundle(await freshBundle(bob), bob.address, alice.address, pair.aliceSessions, alice.identity);
  await send(alice, bob, pair.aliceSessions, pair.bobSessions);
  await send(bob, alice, pair.bobSessions, pair.aliceSessions);
  return pair;
}

async function pairOneDirection(pair) {
  const [, , type] = await send(alice, bob, pair.aliceSessions, pair.bobSessions);
  if (type !== CiphertextMessageType.Whisper) throw new Error('expected a SignalMessage');
}

async function pairAlternating(pair) {
  const [from, to, fromSessions, toSessions] = pair.aliceSends
    ? [alice, bob, pair.aliceSessions, pair.bobSessions]
    : [bob, alice, pair.bobSessions, pair.aliceSessions];
  pair.aliceSends = !pair.aliceSends;
  await send(from, to, fromSessions, toSessions);
}

// ---- Cases ----------------------------------------------------------------------------------------------
function makeCases(pairs) {
  return [
    {
      name: 'PqxdhBothSides',
      // Untimed: one fresh bundle and fresh session stores per setup of the batch.
      prepare: async (n) => {
        const items = [];
        for (let i = 0; i < n; i++) items.push({ bundle: await freshBundle(bob), a: new ObjectSessionStore(), b: new ObjectSessionStore() });
        return items;
      },
      op: async (items, i) => {
        const { bundle, a, b } = items[i];
        await processPreKeyBundle(bundle, bob.address, alice.address, a, alice.identity);
        const [, , type] = await send(alice, bob, a, b);
        if (type !== CiphertextMessageType.PreKey) throw new Error('expected a PreKeySignalMessage');
      },
    },
    { name: 'OneDirection', op: () => pairOneDirection(pairs.oneDirection) },
    { name: 'Alternating', op: () => pairAlternating(pairs.alternating) },
    { name: 'OneDirectionSerializedRecords', op: () => pairOneDirection(pairs.oneDirectionSerialized) },
    { name: 'AlternatingSerializedRecords', op: () => pairAlternating(pairs.alternatingSerialized) },
    // Reference points, no store and no await inside libsignal: one synchronous N-API call each (issue 12
    // quotes 17.8 µs for libsignal's X25519 key generation on the quiet machine). PrivateKey.generate() costs
    // as much as one getPublicKey() (a base-point multiplication each, measured), so it is timed alone.
    { name: 'X25519KeyGeneration', op: () => PrivateKey.generate() },
    { name: 'X25519Agreement', op: () => agreement.key.agree(agreement.peer) },
  ];
}

async function runBatch(c, n) {
  const context = c.prepare ? await c.prepare(n) : null;
  const start = clocks();
  for (let i = 0; i < n; i++) await c.op(context, i);
  const end = clocks();
  return { cpu: end.cpu - start.cpu, wall: end.wall - start.wall };
}

async function calibrate(c) {
  // Warm-up (V8's tiers, libsignal's first-use costs) in doubling batches for at least 200 ms of CPU; the
  // batch is then sized to about 20 ms from the CPU per operation of the warm-up's last (largest) batches.
  let n = 1;
  let spent = 0;
  let last = null;
  while (spent < WARMUP_NS) {
    const t = await runBatch(c, n);
    spent += t.cpu;
    last = { ops: n + (last?.ops ?? 0), cpu: t.cpu + (last?.cpu ?? 0) };
    if (n < 256) last = { ops: n, cpu: t.cpu };
    n = Math.min(n * 2, 256);
  }
  c.batch = Math.max(1, Math.round(BATCH_NS / (last.cpu / last.ops)));
  c.samples = { cpu: [], wall: [] };
}

async function sample(c) {
  const t = await runBatch(c, c.batch);
  for (const k of Object.keys(c.samples)) c.samples[k].push(t[k] / c.batch);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const format = (ns) => (ns >= 1_000_000 ? `${(ns / 1_000_000).toFixed(3)} ms` : `${(ns / 1000).toFixed(2)} µs`);

// ---- Message sizes (untimed): total bytes and the SPQR field (pq_ratchet) of each SignalMessage -----------
const varintLength = (n) => (n < 0x80 ? 1 : n < 0x4000 ? 2 : 3);
async function sizes(SessionStoreClass, alternate, count) {
  const pair = await establishedPair(SessionStoreClass);
  const totals = [];
  const pq = [];
  for (let i = 0; i < count; i++) {
    const fromAlice = !alternate || i % 2 === 0;
    const [, bytes] = fromAlice
      ? await send(alice, bob, pair.aliceSessions, pair.bobSessions)
      : await send(bob, alice, pair.bobSessions, pair.aliceSessions);
    totals.push(bytes.length);
    pq.push(SignalMessage.deserialize(bytes).pqRatchet().length);
  }
  // Without SPQR the message would lack the pq_ratchet bytes and their protobuf field tag and length.
  const withoutPq = totals.map((t, i) => t - (pq[i] > 0 ? pq[i] + 1 + varintLength(pq[i]) : 0));
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    messages: count,
    meanBytes: mean(totals),
    meanBytesWithoutPq: mean(withoutPq),
    meanPqOverhead: mean(totals) - mean(withoutPq),
    minPqField: Math.min(...pq),
    maxPqField: Math.max(...pq),
    messagesWithPqField: pq.filter((x) => x > 0).length,
  };
}

async function setupMessageSize() {
  const a = new ObjectSessionStore();
  await processPreKeyBundle(await freshBundle(bob), bob.address, alice.address, a, alice.identity);
  const message = await signalEncrypt(plaintext, bob.address, alice.address, a, alice.identity);
  return message.serialize().length;
}

// ---- Main -----------------------------------------------------------------------------------------------
const require = createRequire(import.meta.url);
const version = require('@signalapp/libsignal-client/package.json').version;
const pairs = {
  oneDirection: await establishedPair(ObjectSessionStore),
  alternating: await establishedPair(ObjectSessionStore),
  oneDirectionSerialized: await establishedPair(SerializingSessionStore),
  alternatingSerialized: await establishedPair(SerializingSessionStore),
};
const agreement = { key: PrivateKey.generate(), peer: PrivateKey.generate().getPublicKey() };
const cases = makeCases(pairs);
for (const c of cases) await calibrate(c);
for (let round = 0; round < rounds; round++) {
  for (let i = 0; i < cases.length; i++) await sample(cases[(i + round) % cases.length]);
}

const clockName = 'process CPU time (process.cpuUsage)';
console.log(`\nlibsignal-client ${version} (Node ${process.version}, Rust through N-API): ${clockName}, ${rounds} interleaved rounds, median per operation`);
console.log('| case | median | min | wall-clock median | wall-clock min | ops per batch |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const c of cases) {
  console.log(`| ${c.name} | ${format(median(c.samples.cpu))} | ${format(Math.min(...c.samples.cpu))} | ${format(median(c.samples.wall))} | ${format(Math.min(...c.samples.wall))} | ${c.batch} |`);
}

const sizeReport = {
  preKeySignalMessage1KiB: await setupMessageSize(),
  oneDirection: await sizes(ObjectSessionStore, false, 400),
  alternating: await sizes(ObjectSessionStore, true, 400),
};
console.log('\nMessage sizes, 1 KiB plaintext (SPQR is on: every SignalMessage below carries the pq_ratchet field)');
console.log('| conversation | messages | mean bytes | mean bytes without the pq_ratchet field | SPQR bytes per message | pq_ratchet field min–max | messages with the field |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [label, s] of [['one direction', sizeReport.oneDirection], ['alternating', sizeReport.alternating]]) {
  console.log(`| ${label} | ${s.messages} | ${s.meanBytes.toFixed(1)} | ${s.meanBytesWithoutPq.toFixed(1)} | ${s.meanPqOverhead.toFixed(1)} | ${s.minPqField}–${s.maxPqField} | ${s.messagesWithPqField} |`);
}
console.log(`PreKeySignalMessage carrying 1 KiB (first message of a setup): ${sizeReport.preKeySignalMessage1KiB} bytes`);

if (jsonFile) {
  const result = {
    libsignal: version,
    node: process.version,
    clock: clockName,
    rounds,
    cases: cases.map((c) => ({
      name: c.name,
      medianNs: median(c.samples.cpu),
      minNs: Math.min(...c.samples.cpu),
      wallMedianNs: median(c.samples.wall),
      wallMinNs: Math.min(...c.samples.wall),
    })),
    sizes: sizeReport,
  };
  writeFileSync(jsonFile, JSON.stringify(result, null, 2));
}
