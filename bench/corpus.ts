/**
 * A corpus of generated tasks for the validator benchmark: the two valid fixture sets, renamed and varied (more
 * steps, some documents broken), so the validator does realistic work on every file.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function makeCorpus(fixturesDir: string, out: string, tasks: number): string[] {
  const sets = ['en', 'zh'].map((lang) => {
    const dir = readdirSync(join(fixturesDir, lang))[0]!;
    const files = readdirSync(join(fixturesDir, lang, dir)).map((f) => ({ kind: f.slice(dir.length + 1), text: readFileSync(join(fixturesDir, lang, dir, f), 'utf8') }));
    return { task: dir, files };
  });
  const dirs: string[] = [];
  for (let i = 0; i < tasks; i++) {
    const set = sets[i % 2]!;
    const day = String((i % 28) + 1).padStart(2, '0');
    const task = `2025-11-${day}-svc${i}-upgrade-v${i}.0`;
    const dir = join(out, 'active', task);
    mkdirSync(dir, { recursive: true });
    for (const f of set.files) {
      let text = f.text.replaceAll(set.task, task);
      // Every seventh task drifts: a checklist row goes missing, as happens when runbooks are edited by hand.
      if (i % 7 === 3 && f.kind === 'checklist.md') text = text.replace(/^\| S2 \|.*\n/m, '');
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
