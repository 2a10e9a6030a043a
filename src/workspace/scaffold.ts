/**
 * The files `ops-docs init` lays down in a repository: the ops/ workspace (active, archive, the team's copy of the
 * standard, a README) and the Claude Code command. Existing files are kept unless the caller forces: a team's own
 * edits to its standard or its README are worth more than our defaults.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createFileExclusive, writeFileAtomic } from './atomic.js';
import { OPS_FOLDERS } from './paths.js';
import { commandFor } from './install.js';

export type Lang = 'en' | 'zh';

export interface ScaffoldFile {
  /** Path relative to the target folder, with forward slashes. */
  path: string;
  content: Uint8Array;
}

export interface Scaffold {
  dirs: string[];
  files: ScaffoldFile[];
}

export type Outcome = 'created' | 'overwritten' | 'skipped';

export interface ScaffoldResult {
  path: string;
  outcome: Outcome;
}

/** Every file under `dir`, relative to it, sorted; symlinks and dot-files are not ours to copy. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string): void => {
    for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else if (e.isFile()) out.push(rel);
    }
  };
  walk('');
  return out.sort();
}

/**
 * What init writes, read from the package: templates/standard/*.yaml (and templates/playbooks/ when the package
 * has them) become ops/templates/, templates/workspace/README.<lang>.md becomes ops/README.md, and the package's
 * own .claude/commands/ops-docs.md, calling the CLI the way `cli` says, is the command (none without `cli`: the
 * plugin brings its own).
 */
export function planScaffold(packageRoot: string, lang: Lang, cli: string | undefined): Scaffold {
  const templates = join(packageRoot, 'templates');
  const files: ScaffoldFile[] = [];
  const copy = (from: string, to: string): void => {
    files.push({ path: to, content: readFileSync(from) });
  };
  copy(join(templates, 'workspace', `README.${lang}.md`), 'ops/README.md');
  files.push({ path: 'ops/.gitignore', content: Buffer.from('# scratch space of ops-docs: rejected drafts, the last /ops-docs request, locks held during a command,\n# staging folders, and tasks replaced with new --force\n.drafts/\n.locks/\n.tmp-*/\n.trash/\n') });
  for (const folder of OPS_FOLDERS) files.push({ path: `ops/${folder}/.gitkeep`, content: new Uint8Array() });
  const dirs = ['ops', ...OPS_FOLDERS.map((f) => `ops/${f}`), 'ops/templates', 'ops/templates/standard'];
  for (const sub of ['standard', 'playbooks']) {
    const from = join(templates, sub);
    if (!existsSync(from)) continue;
    for (const rel of filesUnder(from)) {
      const to = `ops/templates/${sub}/${rel}`;
      const parent = to.slice(0, to.lastIndexOf('/'));
      if (!dirs.includes(parent)) dirs.push(parent);
      copy(join(from, rel), to);
    }
  }
  if (cli !== undefined) {
    dirs.push('.claude', '.claude/commands');
    const template = readFileSync(join(packageRoot, '.claude', 'commands', 'ops-docs.md'), 'utf8');
    files.push({ path: '.claude/commands/ops-docs.md', content: Buffer.from(commandFor(template, cli)) });
  }
  return { dirs, files };
}

/** A path that exists but is the wrong kind of thing: a file where a folder belongs, or the other way round. */
export function conflicts(root: string, plan: Scaffold): string[] {
  const found: string[] = [];
  for (const d of plan.dirs) {
    const p = join(root, d);
    if (existsSync(p) && !statSync(p).isDirectory()) found.push(d);
  }
  for (const f of plan.files) {
    const p = join(root, f.path);
    let st;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) found.push(f.path);
  }
  return found;
}

/**
 * Create the folders, then each file that does not exist yet (link-based exclusive create: no overwrite even in
 * a race). With `force`, existing files are replaced atomically. The caller checks `conflicts` first.
 */
export function applyScaffold(root: string, plan: Scaffold, opts: { force: boolean }): ScaffoldResult[] {
  for (const d of plan.dirs) mkdirSync(join(root, d), { recursive: true });
  const results: ScaffoldResult[] = [];
  for (const f of plan.files) {
    const target = join(root, f.path);
    try {
      createFileExclusive(target, f.content);
      results.push({ path: f.path, outcome: 'created' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (opts.force) {
        writeFileAtomic(target, f.content);
        results.push({ path: f.path, outcome: 'overwritten' });
      } else {
        results.push({ path: f.path, outcome: 'skipped' });
      }
    }
  }
  return results;
}

/**
 * The folders of an ops folder, made where missing (for `new` in a fresh repository, so that `doctor` finds the
 * layout it checks), each with a `.gitkeep` as init lays them down: git drops empty folders, and a fresh clone
 * would lack the empty archive/ again. `active/` comes first: a file in its way fails before anything is made.
 */
export function ensureOpsLayout(opsDir: string): void {
  for (const name of OPS_FOLDERS) {
    const dir = join(opsDir, name);
    // undefined when the folder was there already; EEXIST when a file stands in its way
    if (mkdirSync(dir, { recursive: true }) === undefined) continue;
    try {
      createFileExclusive(join(dir, '.gitkeep'), new Uint8Array());
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // a concurrent run made it
    }
  }
}
