/**
 * The suite's own cache folder (OPS_DOCS_CACHE_DIR) for every run of the CLI it makes, in-process or as a
 * subprocess: a run of the suite neither reads nor fills the user's ~/.cache/ops-docs, and starts from the same
 * empty cache on every machine. Tests of the cache itself set their own folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'ops-docs-suite-cache-'));
  process.env.OPS_DOCS_CACHE_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
