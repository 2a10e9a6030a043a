/**
 * The layering of README's module map, checked on the sources: which room may import which, no cycle between
 * files, and the README's import graph the same as the one the code has.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './helpers/fixtures.js';

const SRC = join(ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** A file's room: its folder under src/, or the file's own name for files at the top (cli, naming, errors, index). */
const room = (file: string) => {
  const parts = relative(SRC, file).split('/');
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.ts$/, '');
};

/** Every relative import (static, re-export or dynamic), file → file. */
function fileEdges(): [string, string][] {
  const out: [string, string][] = [];
  for (const f of sources(SRC)) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/g)) {
      out.push([f, resolve(dirname(f), (m[1] ?? m[2])!).replace(/\.js$/, '.ts')]);
    }
  }
  return out;
}

/** What each room may import (besides itself), per the house rules: lower rooms never import higher ones. */
const ALLOWED: Record<string, string[]> = {
  errors: ['standard'],
  naming: [],
  standard: [],
  document: ['standard'],
  validate: ['document', 'standard', 'naming'],
  render: ['standard'],
  generate: ['validate', 'document', 'standard', 'naming', 'errors'],
  workspace: ['validate', 'document', 'standard', 'naming', 'errors'],
  verbs: ['generate', 'workspace', 'validate', 'document', 'render', 'standard', 'naming', 'errors'],
  cli: ['verbs', 'standard', 'errors'],
  // The command's launcher: it runs the bundled cli and reads only where the caches live.
  launch: ['standard'],
  index: ['generate', 'validate', 'standard', 'naming'],
};

describe('the import graph', () => {
  const edges = fileEdges();
  const rooms = [...new Set(edges.filter(([a, b]) => room(a) !== room(b)).map(([a, b]) => `${room(a)} → ${room(b)}`))].sort();

  it('has no upward edge between rooms', () => {
    const upward = edges.filter(([a, b]) => room(a) !== room(b) && !(ALLOWED[room(a)] ?? []).includes(room(b)))
      .map(([a, b]) => `${relative(SRC, a)} → ${relative(SRC, b)}`);
    expect(upward).toEqual([]);
  });

  it('has no cycle between files', () => {
    const next = new Map<string, string[]>();
    for (const [a, b] of edges) next.set(a, [...(next.get(a) ?? []), b]);
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(SRC, p)).join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const g of next.get(f) ?? []) visit(g, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of sources(SRC)) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('is the one README draws', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const drawn = /<!-- import-graph -->\n```\n([\s\S]*?)\n```/.exec(readme)?.[1]?.split('\n').map((l) => l.trim()).filter(Boolean).sort();
    expect(drawn).toEqual(rooms);
  });
});
