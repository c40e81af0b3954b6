// Joins the outputs of bench/side-by-side.sh into one table: Enigm's `cputime` medians (thread CPU time) next
// to libsignal's (process CPU time), with the ratio Enigm / libsignal and issue 12's targets.
//   node side-by-side.mjs ENIGM_RATCHET.txt ENIGM_SETUP.txt LIBSIGNAL.json
import { readFileSync } from 'node:fs';

const [ratchetFile, setupFile, libsignalFile] = process.argv.slice(2);
if (!libsignalFile) throw new Error('usage: node side-by-side.mjs ENIGM_RATCHET.txt ENIGM_SETUP.txt LIBSIGNAL.json');

// Rows of CpuTimeRun's table: | case | category | median | min | ratio | allocated/op |
function enigmRows(file) {
  const rows = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 7) continue;
    const [median, min] = [parseTime(cells[3]), parseTime(cells[4])];
    if (median !== null && min !== null) rows.set(cells[1], { medianNs: median, minNs: min, allocated: cells[6] });
  }
  return rows;
}

function parseTime(text) {
  const m = /^([\d.,]+)\s*(ns|µs|us|ms|s)$/.exec(text);
  if (!m) return null;
  const value = Number.parseFloat(m[1].replace(/,/g, ''));
  return value * { ns: 1, µs: 1e3, us: 1e3, ms: 1e6, s: 1e9 }[m[2]];
}

const enigm = new Map([...enigmRows(ratchetFile), ...enigmRows(setupFile)]);
const libsignal = JSON.parse(readFileSync(libsignalFile, 'utf8'));
const ls = new Map(libsignal.cases.map((c) => [c.name, c]));

const format = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(1)} µs`);
const rows = [
  ['PQXDH setup, both sides (first contact; strict: Enigm without the first message)', 'PqxdhBothSides', 'PqxdhBothSides', 0.67],
  ['PQXDH setup + first 1 KiB message both ways (like for like)', 'PqxdhBothSidesFirstMessage', 'PqxdhBothSides', 0.67],
  ['PQXDH setup, both sides (bundle signature already verified)', 'PqxdhBothSidesKnownBundleSignature', 'PqxdhBothSides', 0.67],
  ['1 KiB pair, one direction', 'OneDirection', 'OneDirection', 0.1],
  ['1 KiB pair, alternating', 'Alternating', 'Alternating', 0.5],
  ['1 KiB pair, one direction (libsignal records serialized)', 'OneDirection', 'OneDirectionSerializedRecords', null],
  ['1 KiB pair, alternating (libsignal records serialized)', 'Alternating', 'AlternatingSerializedRecords', null],
];

console.log(`\nSide by side: Enigm (thread CPU time, \`cputime\`) and libsignal-client ${libsignal.libsignal} (Node ${libsignal.node}, process CPU time), median (min) per operation`);
console.log('| case | Enigm | libsignal 0.103 | Enigm / libsignal (median) | (min / min) | target | met |');
console.log('|---|---:|---:|---:|---:|---:|---|');
for (const [label, enigmName, lsName, target] of rows) {
  const e = enigm.get(enigmName);
  const l = ls.get(lsName);
  if (!e || !l) {
    console.log(`| ${label} | ${e ? format(e.medianNs) : 'missing'} | ${l ? format(l.medianNs) : 'missing'} | | | | |`);
    continue;
  }
  const ratio = e.medianNs / l.medianNs;
  const minRatio = e.minNs / l.minNs;
  const met = target === null ? '' : ratio <= target ? 'yes' : 'no';
  console.log(`| ${label} | ${format(e.medianNs)} (${format(e.minNs)}) | ${format(l.medianNs)} (${format(l.minNs)}) | ${ratio.toFixed(2)}× | ${minRatio.toFixed(2)}× | ${target === null ? '' : `≤ ${target}×`} | ${met} |`);
}

const s = libsignal.sizes;
console.log(`\nlibsignal SPQR bytes per 1 KiB message: ${s.oneDirection.meanPqOverhead.toFixed(1)} one direction, ${s.alternating.meanPqOverhead.toFixed(1)} alternating (mean message ${s.oneDirection.meanBytes.toFixed(0)} / ${s.alternating.meanBytes.toFixed(0)} bytes; ${s.oneDirection.meanBytesWithoutPq.toFixed(0)} without the pq_ratchet field).`);
