// Joins the outputs of bench/side-by-side.sh into two tables, with the ratio Enigm / libsignal and issue 12's targets.
// Session setup: Enigm's `walltime SessionSetup` (first contact runs on two cores: its latency is the wall clock)
// against libsignal's wall clock (its binding runs the setup on the JS main thread, one core), with both sides'
// process CPU time next to it, so the trade of the second core shows. Ratchet pairs: Enigm's `cputime` medians
// (thread CPU time, one thread) against libsignal's process CPU time, as before.
//   node side-by-side.mjs ENIGM_RATCHET.txt ENIGM_SETUP.txt LIBSIGNAL.json
import { readFileSync } from 'node:fs';

const [ratchetFile, setupFile, libsignalFile] = process.argv.slice(2);
if (!libsignalFile) throw new Error('usage: node side-by-side.mjs ENIGM_RATCHET.txt ENIGM_SETUP.txt LIBSIGNAL.json');

// Rows of CpuTimeRun's table: | case | category | median | min | ratio | allocated/op |, and in walltime mode
// | process CPU median | process CPU min | thread CPU median | after them.
function enigmRows(file) {
  const rows = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 7) continue;
    const [median, min] = [parseTime(cells[3]), parseTime(cells[4])];
    if (median === null || min === null) continue;
    const [processMedian, processMin, threadMedian] = [7, 8, 9].map((i) => (cells.length > i + 1 ? parseTime(cells[i]) : null));
    rows.set(cells[1], { medianNs: median, minNs: min, allocated: cells[6], processMedianNs: processMedian, processMinNs: processMin, threadMedianNs: threadMedian });
  }
  return rows;
}

function parseTime(text) {
  const m = /^([\d.,]+)\s*(ns|µs|us|ms|s)$/.exec(text);
  if (!m) return null;
  const value = Number.parseFloat(m[1].replace(/,/g, ''));
  return value * { ns: 1, µs: 1e3, us: 1e3, ms: 1e6, s: 1e9 }[m[2]];
}

const ratchet = enigmRows(ratchetFile);
const setup = enigmRows(setupFile);
const libsignal = JSON.parse(readFileSync(libsignalFile, 'utf8'));
const ls = new Map(libsignal.cases.map((c) => [c.name, c]));

const format = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(1)} µs`);
const met = (ratio, target) => (target === null ? '' : ratio <= target ? 'yes' : 'no');

const setupRows = [
  ['PQXDH setup, both sides (first contact; strict: Enigm without the first message)', 'PqxdhBothSides', 'PqxdhBothSides', 0.67],
  ['PQXDH setup + first 1 KiB message both ways (like for like)', 'PqxdhBothSidesFirstMessage', 'PqxdhBothSides', 0.67],
  ['PQXDH setup, both sides (bundle signature already verified)', 'PqxdhBothSidesKnownBundleSignature', 'PqxdhBothSides', 0.67],
];
const wall = setup.size > 0 && [...setup.values()].every((r) => r.processMedianNs !== null);
console.log(`\nSession setup, side by side: ${wall ? 'wall clock' : 'CPU time (the setup file has no process CPU columns: a cputime run)'} against libsignal-client ${libsignal.libsignal}'s wall clock${wall ? '' : ' (CPU time)'} (Node ${libsignal.node}), median (min) per operation; process CPU time (all threads) next to it`);
console.log('| case | Enigm wall | libsignal wall | Enigm / libsignal (median) | (min / min) | Enigm process CPU | libsignal process CPU | CPU ratio | target | met |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const [label, enigmName, lsName, target] of setupRows) {
  const e = setup.get(enigmName);
  const l = ls.get(lsName);
  if (!e || !l) {
    console.log(`| ${label} | ${e ? format(e.medianNs) : 'missing'} | ${l ? format(l.wallMedianNs) : 'missing'} | | | | | | | |`);
    continue;
  }
  const [lsMedian, lsMin] = wall ? [l.wallMedianNs, l.wallMinNs] : [l.medianNs, l.minNs];
  const ratio = e.medianNs / lsMedian;
  const cpu = e.processMedianNs === null ? '' : format(e.processMedianNs);
  const cpuRatio = e.processMedianNs === null ? '' : `${(e.processMedianNs / l.medianNs).toFixed(2)}×`;
  console.log(`| ${label} | ${format(e.medianNs)} (${format(e.minNs)}) | ${format(lsMedian)} (${format(lsMin)}) | ${ratio.toFixed(2)}× | ${(e.minNs / lsMin).toFixed(2)}× | ${cpu} | ${format(l.medianNs)} | ${cpuRatio} | ≤ ${target}× | ${met(ratio, target)} |`);
}

const ratchetRows = [
  ['1 KiB pair, one direction', 'OneDirection', 'OneDirection', 0.1],
  ['1 KiB pair, alternating', 'Alternating', 'Alternating', 0.5],
  ['1 KiB pair, one direction (libsignal records serialized)', 'OneDirection', 'OneDirectionSerializedRecords', null],
  ['1 KiB pair, alternating (libsignal records serialized)', 'Alternating', 'AlternatingSerializedRecords', null],
];
console.log(`\nRatchet pairs, side by side: Enigm (thread CPU time, \`cputime\`) and libsignal-client ${libsignal.libsignal} (Node ${libsignal.node}, process CPU time), median (min) per operation`);
console.log('| case | Enigm | libsignal 0.103 | Enigm / libsignal (median) | (min / min) | target | met |');
console.log('|---|---:|---:|---:|---:|---:|---|');
for (const [label, enigmName, lsName, target] of ratchetRows) {
  const e = ratchet.get(enigmName);
  const l = ls.get(lsName);
  if (!e || !l) {
    console.log(`| ${label} | ${e ? format(e.medianNs) : 'missing'} | ${l ? format(l.medianNs) : 'missing'} | | | | |`);
    continue;
  }
  const ratio = e.medianNs / l.medianNs;
  console.log(`| ${label} | ${format(e.medianNs)} (${format(e.minNs)}) | ${format(l.medianNs)} (${format(l.minNs)}) | ${ratio.toFixed(2)}× | ${(e.minNs / l.minNs).toFixed(2)}× | ${target === null ? '' : `≤ ${target}×`} | ${met(ratio, target)} |`);
}

const s = libsignal.sizes;
console.log(`\nlibsignal SPQR bytes per 1 KiB message: ${s.oneDirection.meanPqOverhead.toFixed(1)} one direction, ${s.alternating.meanPqOverhead.toFixed(1)} alternating (mean message ${s.oneDirection.meanBytes.toFixed(0)} / ${s.alternating.meanBytes.toFixed(0)} bytes; ${s.oneDirection.meanBytesWithoutPq.toFixed(0)} without the pq_ratchet field).`);
