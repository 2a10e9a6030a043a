/**
 * review-commands — the commands parse. Every `bash`, `sh` or `shell` block is parsed by mvdan/sh (the parser
 * behind shfmt, through sh-syntax's WebAssembly build): an unterminated quote, an `if` without `fi` or a stray
 * `)` is a syntax error the operator would hit at 3 a.m. When `shellcheck` is on PATH, its warnings on each block
 * are reported too. SQL blocks are not parsed (see the README's design notes).
 *
 * Rule ids: `review-shell-parse` (objective: an error under --strict), `review-shellcheck` (a warning).
 *
 * Passes:
 *   ```bash
 *   kubectl get nodes -o wide | grep -c Ready
 *   ```
 * Fails (`review-shell-parse`):
 *   ```bash
 *   kubectl annotate node node-1 note="drained
 *   ```
 * Passes:
 *   ```bash
 *   echo "已完成" && kubectl get nodes
 *   ```
 * Fails (`review-shell-parse`):
 *   ```bash
 *   if kubectl get nodes; then echo "已完成"
 *   ```
 */
import { spawn, spawnSync } from 'node:child_process';
import type { Code } from 'mdast';
import { descendants } from '../../document/model.js';
import { defineRule, fill, type Report } from '../rule.js';
import { msFromEnv } from '../env-limit.js';
import { reviewIds, reviewSeverity } from '../review.js';
import { shellSyntaxError, type ShellSyntaxError } from '../shell-parser.js';

const parsed = new Map<string, ShellSyntaxError | null>();
function syntaxError(text: string, variant: 'bash' | 'posix'): ShellSyntaxError | undefined {
  const k = `${variant}\u0000${text}`;
  let r = parsed.get(k);
  if (r === undefined) {
    r = shellSyntaxError(text, variant) ?? null;
    if (parsed.size > 5000) parsed.clear();
    parsed.set(k, r);
  }
  return r ?? undefined;
}

interface ShellcheckComment { line: number; column: number; level: string; code: number; message: string }
let shellcheckFound: boolean | undefined;
const checked = new Map<string, ShellcheckComment[] | Promise<ShellcheckComment[]>>();
/** ShellCheck processes running at once from one thread: enough to keep a core busy, not a fork storm. */
const SHELLCHECK_AT_ONCE = 3;
/** One ShellCheck run's limit. OPS_DOCS_SHELLCHECK_TIMEOUT_MS overrides it, so a test of a run that never answers
 * need not wait 10 s for it (a seam like OPS_DOCS_PARSE_DEADLINE_MS). */
const SHELLCHECK_TIMEOUT_MS = msFromEnv('OPS_DOCS_SHELLCHECK_TIMEOUT_MS', 10_000);
let running = 0;
const waiting: (() => void)[] = [];

function shellcheckArgs(dialect: string, exclude: string[]): string[] {
  return ['--shell', dialect, '--severity', 'warning', '--format', 'json1', ...(exclude.length ? ['--exclude', exclude.join(',')] : []), '-'];
}

function comments(stdout: string): ShellcheckComment[] {
  try {
    return (JSON.parse(stdout) as { comments: ShellcheckComment[] }).comments ?? [];
  } catch {
    return [];
  }
}

/** Results depend on the script, its dialect and the codes left out. */
function shellcheckKey(text: string, dialect: string, exclude: string[]): string {
  return `${dialect}\u0000${exclude.join(',')}\u0000${text}`;
}

function remember(k: string, c: ShellcheckComment[] | Promise<ShellcheckComment[]>): void {
  if (checked.size > 5000) checked.clear();
  checked.set(k, c);
}

/** ShellCheck's warnings (not its style notes) for one script, now; none when shellcheck is not installed. */
function shellcheckNow(text: string, dialect: string, exclude: string[]): ShellcheckComment[] {
  if (shellcheckFound === false) return [];
  const k = shellcheckKey(text, dialect, exclude);
  const hit = checked.get(k);
  if (Array.isArray(hit)) return hit;
  const run = spawnSync('shellcheck', shellcheckArgs(dialect, exclude), { input: text, encoding: 'utf8', timeout: SHELLCHECK_TIMEOUT_MS });
  if (run.error) {
    shellcheckFound = false;
    return [];
  }
  shellcheckFound = true;
  const found = comments(run.stdout);
  remember(k, found);
  return found;
}

/** The same, as a child process that runs while the caller goes on (at most SHELLCHECK_AT_ONCE at a time). */
async function shellcheckLater(text: string, dialect: string, exclude: string[]): Promise<ShellcheckComment[]> {
  if (shellcheckFound === false) return [];
  const k = shellcheckKey(text, dialect, exclude);
  const hit = checked.get(k);
  if (hit) return hit;
  const result = (async () => {
    if (running >= SHELLCHECK_AT_ONCE) await new Promise<void>((go) => waiting.push(go));
    running++;
    try {
      return await new Promise<ShellcheckComment[]>((done) => {
        // Our own timer, not spawn's `timeout`: that one stays armed when shellcheck is not installed and holds the
        // process for its whole length.
        const child = spawn('shellcheck', shellcheckArgs(dialect, exclude), { stdio: ['pipe', 'pipe', 'ignore'] });
        const timer = setTimeout(() => child.kill(), SHELLCHECK_TIMEOUT_MS);
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        child.on('error', () => {
          clearTimeout(timer);
          shellcheckFound = false;
          done([]);
        });
        child.on('close', () => {
          clearTimeout(timer);
          if (shellcheckFound !== false) shellcheckFound = true;
          done(comments(out));
        });
        child.stdin.on('error', () => {}); // a shellcheck that exits early closes its stdin; its result says enough
        child.stdin.end(text);
      });
    } finally {
      running--;
      waiting.shift()?.();
    }
  })();
  remember(k, result);
  const found = await result;
  remember(k, found);
  return found;
}

export const reviewCommands = defineRule({
  origin: 'ops-docs:review-commands',
  ids: (standard) => reviewIds(standard, 'review-shell-parse', 'review-shellcheck'),
}, ({ model, standard, strict, report, defer }) => {
  const langs = new Set(standard.review.shellLanguages.map((l) => l.toLowerCase()));
  const blank = new RegExp(standard.common.placeholders.pattern, 'u');
  const blocks: { code: Code; dialect: 'bash' | 'sh' }[] = [];
  for (const n of descendants(model.tree.children)) {
    if (n.type !== 'code' || !n.lang || !langs.has(n.lang.toLowerCase())) continue;
    const code = n as Code;
    // A block with blanks left in it (`<change-command>`) is reported by no-placeholders; it is not a command yet.
    if (blank.test(code.value)) continue;
    blocks.push({ code, dialect: code.lang!.toLowerCase() === 'sh' ? 'sh' : 'bash' });
  }
  if (!blocks.length) return;
  const exclude = standard.review.shellcheckExclude ?? [];

  /** Parse errors reported; the blocks that parse, by dialect, joined for ShellCheck with each block's first line. */
  const sort = (errors: (ShellSyntaxError | undefined)[], to: Report) => {
    const parsed: Record<'bash' | 'sh', { code: Code; from: number }[]> = { bash: [], sh: [] };
    const scripts: Record<'bash' | 'sh', string[]> = { bash: [], sh: [] };
    blocks.forEach(({ code, dialect }, i) => {
      const err = errors[i];
      if (err) {
        to('review-shell-parse', fill({
          en: 'the {lang} block does not parse: {msg} (line {line} of the block): fix the command',
          zh: '{lang} 代码块无法解析：{msg}（代码块第 {line} 行）：请修正命令',
        }, { lang: code.lang!, msg: err.message, line: err.line }), { line: (code.position?.start.line ?? 1) + err.line, column: 1 }, reviewSeverity(standard, 'review-shell-parse', strict));
        return;
      }
      parsed[dialect].push({ code, from: scripts[dialect].reduce((a, t) => a + t.split('\n').length, 0) });
      scripts[dialect].push(code.value.replace(/\n$/, ''));
    });
    return { parsed, scripts };
  };
  // ShellCheck reads each dialect's blocks of the document in one run (a process per block cost more than the whole
  // validation), each warning mapped back to its block.
  const reportComments = (parsed: { code: Code; from: number }[], found: ShellcheckComment[], to: Report) => {
    let shown = 0;
    for (const c of found) {
      const block = [...parsed].reverse().find((b) => b.from < c.line)!;
      if (!block || ++shown > 10) break;
      const start = block.code.position?.start.line ?? 1;
      to('review-shellcheck', fill({
        en: 'ShellCheck SC{code}: {msg}',
        zh: 'ShellCheck SC{code}：{msg}',
      }, { code: c.code, msg: c.message }), { line: start + c.line - block.from, column: c.column }, reviewSeverity(standard, 'review-shellcheck', strict));
    }
  };
  const variant = (d: 'bash' | 'sh') => (d === 'sh' ? 'posix' : 'bash');

  const { parsed, scripts } = sort(blocks.map((b) => syntaxError(b.code.value, variant(b.dialect))), report);
  for (const d of ['bash', 'sh'] as const) {
    if (!parsed[d].length) continue;
    const script = scripts[d].join('\n');
    if (defer) defer(async (later) => reportComments(parsed[d], await shellcheckLater(script, d, exclude), later));
    else reportComments(parsed[d], shellcheckNow(script, d, exclude), report);
  }
});
