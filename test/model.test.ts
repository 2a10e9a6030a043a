/** The document model's reading helpers: heading keys and the flat frontmatter fast path. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildModel, findSection, key } from '../src/document/model.js';
import { loadStandard } from '../src/standard/load.js';
import { parseMarkdown } from '../src/document/parse.js';

describe('heading keys', () => {
  it('ignore case, width, numbering, punctuation and spacing', () => {
    expect(key('7. Go / No-Go decision points ✅')).toBe(key('Go/No-Go Decision Points'));
    expect(key('一、执行概要')).toBe(key('执行概要'));
    expect(key('（１）Ｓｕｍｍａｒｙ')).toBe('1summary');
    expect(key('## Step S1: Back up')).toBe('steps1backup');
  });
  it('a heading with a parenthetical translation matches either half', () => {
    const summary = loadStandard().docs.runbook.sections.find((x) => x.id === 'summary')!;
    for (const heading of ['执行概要（Executive Summary）', 'Executive Summary (执行概要)', '1. 概要（Overview）']) {
      const text = `## ${heading}\n\ntext\n`;
      const found = findSection(buildModel('x-runbook.md', text, parseMarkdown(text)), summary);
      expect(found?.title, heading).toBe(heading);
    }
    const other = '## Impact (影响)\n\ntext\n';
    expect(findSection(buildModel('x-runbook.md', other, parseMarkdown(other)), summary)).toBeUndefined();
  });
});

describe('frontmatter', () => {
  const cases = [
    'task: 2025-11-10-k8s-cluster-upgrade-v1.28\nkind: runbook\ncreated: 2025-11-10\nstatus: in-progress',
    'a: 1.28', 'a: 12', 'a: "x"', "a: 'x'", 'a: b: c', 'a: x:', 'a: [1]', 'a: x # c', 'a: x#c', 'a:\n  - x', 'a: -x',
    'a: true', 'a: False', 'a: ~', 'a: null', 'a:', 'a: x:y', 'a: http://x.y/z', 'a: 2025-11-10T10:00:00+08:00',
    'owner: Jane Doe', 'a: v1.28', 'a: 0x1F', 'a: .inf', 'a: 1e3', 'a: x\nb: y', 'a: x\na: y', '# only a comment',
    'a: |\n  block', 'a: &anchor x', 'a: *ref', 'a: !tag x', 'a: {b: 1}', 'title: Runbook: y',
  ];
  for (const c of cases) {
    it(`reads ${JSON.stringify(c)} exactly as YAML 1.2 core does`, () => {
      const text = `---\n${c}\n---\n`;
      const m = buildModel('x-runbook.md', text, parseMarkdown(text));
      let expected: unknown;
      try {
        expected = parse(c, { schema: 'core' }) ?? {};
      } catch {
        expected = 'error';
      }
      if (expected === 'error') {
        expect(m.frontmatter.error).toBeTruthy();
        expect(m.frontmatter.data).toBeUndefined();
      } else if (typeof expected !== 'object' || Array.isArray(expected)) {
        expect(m.frontmatter.data).toBeUndefined();
      } else {
        expect(m.frontmatter.data).toEqual(expected);
      }
    });
  }
});
