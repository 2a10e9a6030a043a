/**
 * A corpus of generated tasks for the validator benchmark: the fixture task folders, renamed and varied (some
 * documents broken, some longer), so the validator does realistic work on every file.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @param taskDirs the task folders to copy from, in turn: the generator-style fixtures and the hand-written corpus
 * (six teams' styles), so the validator's recognition does the work real trees ask of it.
 */
export function makeCorpus(taskDirs: string[], out: string, tasks: number): string[] {
  const sets = taskDirs.map((dir) => {
    const task = dir.split(/[\\/]/).pop()!;
    const files = readdirSync(dir).map((f) => ({ kind: f.slice(task.length + 1), text: readFileSync(join(dir, f), 'utf8') }));
    return { task, files };
  });
  const dirs: string[] = [];
  for (let i = 0; i < tasks; i++) {
    const set = sets[i % sets.length]!;
    const day = String((i % 28) + 1).padStart(2, '0');
    const task = `2025-11-${day}-svc${i}-upgrade-v${i}.0`;
    const dir = join(out, 'active', task);
    mkdirSync(dir, { recursive: true });
    for (const f of set.files) {
      let text = f.text.replaceAll(set.task, task);
      // Every seventh task drifts: a checklist row goes missing, as happens when runbooks are edited by hand.
      if (i % 7 === 3 && f.kind === 'checklist.md') text = text.replace(/^\| (?:S2|2|第二步|第2步) \|.*\n/m, '');
      // Every fifth runbook grows a longer appendix of notes (list-heavy text).
      if (i % 5 === 0 && f.kind === 'runbook.md') {
        text += '\n## Notes\n\n' + Array.from({ length: 40 }, (_, k) => `- note ${k}: check \`svc${i}\` dashboard\n  - owner: team-${k % 4}\n`).join('');
      }
      writeFileSync(join(dir, `${task}-${f.kind}`), text);
    }
    dirs.push(dir);
  }
  return dirs;
}

/**
 * A list-heavy document of about `bytes` size: nested lists inside a block quote, the container shape where
 * micromark 4.0.3 goes quadratic (measured here: 55 KB of it parses in ~400 ms with 4.0.2 and ~2,000 ms with 4.0.3,
 * against ~110 ms for 55 KB of paragraphs with either).
 */
export function listHeavy(bytes: number): string {
  const parts: string[] = ['# Notes\n\n'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const s = `> - item ${i}\n>   - nested ${i}\n`;
    parts.push(s);
    size += s.length;
  }
  return parts.join('');
}

/** Plain paragraphs of the same size: the peer that list-heavy parsing is compared against. */
export function paragraphs(bytes: number): string {
  const parts: string[] = ['# Notes\n\n'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const s = `Paragraph ${i} with some words and \`code\` in it.\n\n`;
    parts.push(s);
    size += s.length;
  }
  return parts.join('');
}

/** The task folders the benchmark copies: the two generator-style fixtures and the six hand-written ones. */
export function benchSources(root: string): string[] {
  const valid = ['en', 'zh'].map((lang) => join(root, 'test', 'fixtures', 'valid', lang)).map((d) => join(d, readdirSync(d)[0]!));
  const corpus = join(root, 'test', 'fixtures', 'corpus');
  return [...valid, ...readdirSync(corpus).sort().map((d) => join(corpus, d))];
}
