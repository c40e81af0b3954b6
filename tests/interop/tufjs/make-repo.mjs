// Interop check, the other direction: builds a plain TUF repository with the tuf-js project's
// metadata models (@tufjs/models), the way any TUF repository tool would: Ed25519 keys, one per
// top-level role, consistent snapshots, targets listed with length and sha256 only and no "custom"
// data (so no Enigm release rules). Files are written pretty-printed with sorted keys, as
// python-tuf's default serializer does; only the signatures are over canonical JSON.
//
// usage: node make-repo.mjs OUT_DIR TARGET_PATH=FILE...
//   OUT_DIR/metadata/{1.root.json,root.json,1.targets.json,1.snapshot.json,timestamp.json}
//   OUT_DIR/targets/DIR/SHA256.NAME
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { dirname, join } from 'node:path';
import { Key, Metadata, MetaFile, Root, Signature, Snapshot, Targets, TargetFile, Timestamp } from '@tufjs/models';
import { canonicalize } from '@tufjs/canonical-json';

const [outDir, ...targetArgs] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node make-repo.mjs OUT_DIR TARGET_PATH=FILE...');
  process.exit(2);
}

const specVersion = '1.0.31';
const expires = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function newKey() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const json = { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: raw.toString('hex') } };
  // TUF keyid: SHA-256 of the canonical JSON of the public key.
  const keyID = createHash('sha256').update(canonicalize(json)).digest('hex');
  const key = new Key({ keyID, keyType: 'ed25519', scheme: 'ed25519', keyVal: { public: raw.toString('hex') } });
  const signer = (bytes) => new Signature({ keyID, sig: sign(null, bytes, privateKey).toString('hex') });
  return { key, signer };
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  return value;
}

function write(path, metadata) {
  mkdirSync(dirname(path), { recursive: true });
  const bytes = Buffer.from(JSON.stringify(sortKeys(metadata.toJSON()), null, 1));
  writeFileSync(path, bytes);
  return bytes;
}

const keys = Object.fromEntries(['root', 'targets', 'snapshot', 'timestamp'].map((role) => [role, newKey()]));
const root = new Root({ version: 1, specVersion, expires, consistentSnapshot: true });
for (const [role, { key }] of Object.entries(keys)) root.addKey(key, role);

const targets = new Targets({ version: 1, specVersion, expires });
for (const arg of targetArgs) {
  const [path, file] = arg.split('=');
  const data = readFileSync(file);
  const sha256 = createHash('sha256').update(data).digest('hex');
  targets.addTarget(new TargetFile({ length: data.length, path, hashes: { sha256 } }));
  // TUF 5.7.3: with consistent snapshots a target is stored as DIR/HASH.NAME.
  const slash = path.lastIndexOf('/');
  const stored = slash < 0 ? `${sha256}.${path}` : `${path.slice(0, slash + 1)}${sha256}.${path.slice(slash + 1)}`;
  mkdirSync(dirname(join(outDir, 'targets', stored)), { recursive: true });
  writeFileSync(join(outDir, 'targets', stored), data);
}

const snapshot = new Snapshot({ version: 1, specVersion, expires, meta: { 'targets.json': new MetaFile({ version: 1 }) } });
const timestamp = new Timestamp({ version: 1, specVersion, expires, snapshotMeta: new MetaFile({ version: 1 }) });

const signed = (signedPart, role) => {
  const metadata = new Metadata(signedPart);
  metadata.sign(keys[role].signer);
  return metadata;
};
const metadataDir = join(outDir, 'metadata');
write(join(metadataDir, '1.root.json'), signed(root, 'root'));
write(join(metadataDir, 'root.json'), signed(root, 'root'));
write(join(metadataDir, '1.targets.json'), signed(targets, 'targets'));
write(join(metadataDir, '1.snapshot.json'), signed(snapshot, 'snapshot'));
write(join(metadataDir, 'timestamp.json'), signed(timestamp, 'timestamp'));
console.log(outDir);
