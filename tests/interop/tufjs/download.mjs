// Interop check: the standard tuf-js client (TUF 1.0 client workflow, section 5) refreshes an Enigm
// repository's metadata and downloads one target. Exit 0 and print the file path on success; any
// verification failure exits 1 with tuf-js's error.
//
// usage: node download.mjs METADATA_URL TARGETS_URL TRUSTED_ROOT_FILE TARGET_PATH OUT_DIR
import { mkdtempSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Updater } from 'tuf-js';

const [metadataBaseUrl, targetBaseUrl, trustedRoot, targetPath, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node download.mjs METADATA_URL TARGETS_URL TRUSTED_ROOT_FILE TARGET_PATH OUT_DIR');
  process.exit(2);
}

try {
  // tuf-js reads the trusted root from metadataDir/root.json (TUF 5.2: load the trusted root).
  const metadataDir = mkdtempSync(join(tmpdir(), 'tufjs-metadata-'));
  copyFileSync(trustedRoot, join(metadataDir, 'root.json'));
  mkdirSync(outDir, { recursive: true });
  const updater = new Updater({ metadataBaseUrl, targetBaseUrl, metadataDir, targetDir: outDir });
  await updater.refresh();
  const info = await updater.getTargetInfo(targetPath);
  if (!info) throw new Error(`target ${targetPath} not found`);
  const file = await updater.downloadTarget(info, join(outDir, targetPath.replaceAll('/', '_')));
  console.log(file);
} catch (error) {
  console.error(`tuf-js: ${error?.constructor?.name}: ${error?.message}`);
  process.exit(1);
}
