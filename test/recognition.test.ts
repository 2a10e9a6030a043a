/**
 * Recognition by meaning, its precision traps, and a team's own standard: numbering any usual way, Chinese
 * numerals, traps that must not satisfy a check, synonyms and severities a team adds in ops/templates (honoured by
 * validate, the remark preset and new), and messages that name the synonyms.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { remark } from 'remark';
import { loadStandard, BUILTIN_TEMPLATES, StandardError } from '../src/standard/load.js';
import { checkDocument, checkRuleSettings } from '../src/validate/index.js';
import { parseNumber, readNumbering } from '../src/document/numbering.js';
import { tickBox, tickedWord } from '../src/workspace/table-edit.js';
import { main } from './helpers/main.js';
import { ROOT, VALID, readTask } from './helpers/fixtures.js';
import { opsWith } from './helpers/tmp.js';
import { modelOf } from './helpers/cuts.js';

const standard = loadStandard();
const K8S = join(ROOT, 'test', 'fixtures', 'corpus', '2026-03-03-k8s-upgrade-prod-eu-v1.29');
const PG = join(ROOT, 'test', 'fixtures', 'corpus', '2026-06-09-postgres-upgrade-billing-v14-to-v16');

function errors(path: string, text: string, std = standard): string[] {
  return [...new Set(checkDocument(modelOf(path, text), std, { strict: true }).filter((f) => f.severity === 'error').map((f) => f.ruleId))].sort();
}
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`no ${from} in the fixture`);
  return text.replace(from, to);
}

describe('numbering', () => {
  it('reads Arabic and Chinese numerals', () => {
    expect([parseNumber('12'), parseNumber('十二'), parseNumber('二十'), parseNumber('一百零五'), parseNumber('两'), parseNumber('半'), parseNumber('x')])
      .toEqual([12, 12, 20, 105, 2, 0.5, undefined]);
  });
  it('reads every usual way of numbering an item, and nothing else', () => {
    const words = ['Step', '步骤', 'Checkpoint', 'GNG', '决策点'];
    const cases: [string, number | undefined, string][] = [
      ['Step S1: Back up', 1, 'Back up'], ['Step 1 — Back up', 1, 'Back up'], ['S1. Back up', 1, 'Back up'], ['1. Back up', 1, 'Back up'],
      ['1) Back up', 1, 'Back up'], ['2 – Back up', 2, 'Back up'], ['步骤 1：备份', 1, '备份'], ['步骤一：备份', 1, '备份'], ['第一步：备份', 1, '备份'],
      ['第1步 备份', 1, '备份'], ['GNG-1 — Before', 1, 'Before'], ['Checkpoint 2: Before', 2, 'Before'], ['决策点十一：之前', 11, '之前'],
      ['1.28 upgrade', undefined, ''], ['Backups', undefined, ''], ['Step up the pace', undefined, ''], ['S3 bucket', 3, 'bucket'],
    ];
    for (const [text, n, rest] of cases) {
      const got = readNumbering(text, 'S', words);
      expect(got?.number, text).toBe(n);
      if (n !== undefined) expect(got?.rest, text).toBe(rest);
    }
  });
});

describe('precision traps', () => {
  const { docs } = readTask(K8S);
  const rb = docs.runbook;
  it('the hand-written runbook passes as written', () => {
    expect(errors(rb.path, rb.text)).toEqual([]);
  });
  it('inline code is not a command', () => {
    const text = edit(rb.text, '```bash\nkubeadm upgrade plan v1.29.2\nETCDCTL_API=3 etcdctl snapshot save /var/backups/etcd-pre-1.29.db\n```',
      'Run `kubeadm upgrade plan v1.29.2` and `etcdctl snapshot save /var/backups/etcd-pre-1.29.db`.');
    expect(errors(rb.path, text)).toEqual(['runbook-steps-command']);
  });
  for (const lang of ['text', 'console', 'output']) {
    it(`a \`${lang}\` block is output, not a command`, () => {
      const text = edit(rb.text, '```bash\nkubeadm upgrade plan v1.29.2', `\`\`\`${lang}\nkubeadm upgrade plan v1.29.2`);
      expect(errors(rb.path, text)).toEqual(['runbook-steps-command']);
    });
  }
  it('a prose mention of GNG-1 is not a decision point', () => {
    const start = rb.text.indexOf('### GNG-1');
    const end = rb.text.indexOf('## What to watch');
    const text = rb.text.slice(0, start) + 'The SRE lead calls GNG-1 before the workers and GNG-2 after the first batch.\n\n' + rb.text.slice(end);
    expect(errors(rb.path, text)).toEqual(['runbook-go-no-go']);
  });
  it('the change window is not a total', () => {
    const start = rb.text.indexOf('## Timing');
    const end = rb.text.indexOf('## Go / No-Go');
    const text = rb.text.slice(0, start) + '## Timing\n\nChange window: 02:00–05:00 UTC, total downtime none.\n\n' + rb.text.slice(end);
    expect(errors(rb.path, text)).toEqual(['runbook-time-total']);
  });
  it('a threshold in error handling ("for more than 5 minutes") is not the step\'s time estimate', () => {
    const text = edit(rb.text, '**If it fails:** if the API server stays unreachable for more than 5 minutes, stop and go to GNG-1 with a No-Go.\n\n**Duration:** 25 min',
      '**If it fails:** if the API server stays unreachable for more than 5 minutes, stop and go to GNG-1 with a No-Go.');
    expect(errors(rb.path, text)).toEqual(['runbook-steps-time']);
  });
  it('checklist pen blanks (____, ☐) and template blanks are not placeholders', () => {
    for (const kind of ['checklist', 'postmortem-template'] as const) {
      expect(docs[kind].text).toMatch(/____/);
      expect(checkDocument(modelOf(docs[kind].path, docs[kind].text), standard, { strict: true })).toEqual([]);
    }
  });
  it('Chinese numerals stand for numbers in durations and totals', () => {
    const zh = readTask(PG).docs.runbook;
    expect(errors(zh.path, edit(zh.text, '**耗时：** 15 分钟', '**耗时：** 十五分钟'))).toEqual([]);
    expect(errors(zh.path, edit(zh.text, '合计约 150 分钟', '合计约两个半小时'))).toEqual([]);
    expect(errors(zh.path, edit(zh.text, '**耗时：** 15 分钟', '**耗时：** 很快'))).toEqual(['runbook-steps-time']);
  });
});

describe('messages name the synonyms, in the document language', () => {
  it('English and Chinese', () => {
    const en = readTask(VALID.en).docs.runbook;
    const cut = en.text.replace(/## Monitoring Metrics[\s\S]*$/, '');
    const msg = checkDocument(modelOf(en.path, cut), standard).find((f) => f.ruleId === 'runbook-monitoring')!.message;
    expect(msg).toBe('missing section "Monitoring Metrics" (also: Monitoring, Metrics, Key Metrics, Observability, …): add a "## Monitoring Metrics" heading');
    const zh = readTask(VALID.zh).docs.runbook;
    const cutZh = zh.text.replace(/## 监控指标[\s\S]*$/, '');
    const msgZh = checkDocument(modelOf(zh.path, cutZh), standard).find((f) => f.ruleId === 'runbook-monitoring')!.message;
    expect(msgZh).toBe('缺少章节“监控指标”（也可写作：监控、关键指标、监控项、观测指标……）：请添加“## 监控指标”标题');
  });
});

describe("a team's own standard (ops/templates/standard)", () => {
  function teamTree(fixture: string, edits: Record<string, (yaml: string) => string>) {
    const t = opsWith(fixture);
    const dir = join(t.ops, 'templates', 'standard');
    mkdirSync(dir, { recursive: true });
    for (const name of ['common.yaml', 'runbook.yaml', 'rollback.yaml', 'checklist.yaml', 'postmortem-template.yaml']) {
      copyFileSync(join(BUILTIN_TEMPLATES, 'standard', name), join(dir, name));
      const fix = edits[name];
      if (fix) writeFileSync(join(dir, name), fix(readFileSync(join(dir, name), 'utf8')));
    }
    return t;
  }

  it('a synonym the team adds is recognised by validate and by the remark preset', async () => {
    const t = teamTree(VALID.en, {
      'runbook.yaml': (y) => y.replace('en: [Monitoring, Metrics,', 'en: [Watch list, Monitoring, Metrics,'),
    });
    const file = join(t.taskDir, `${t.task}-runbook.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('## Monitoring Metrics', '## Watch list'));
    expect(await main(['validate', '--strict', '--no-cache', t.taskDir])).toMatchObject({ code: 0 });
    // With the built-in standard, the same document lacks the section.
    expect(errors(file, readFileSync(file, 'utf8'))).toEqual(['runbook-monitoring']);
    const preset = (await import('../src/validate/preset.js')).default;
    const vfile = await remark().use(preset).process({ path: file, value: readFileSync(file, 'utf8') });
    expect(vfile.messages.map((m) => m.ruleId)).toEqual([]);
  });

  it('each rule id can be set to warning or off; validate and the preset honour it; an unknown id is refused', async () => {
    const t = teamTree(VALID.en, {
      'common.yaml': (y) => `${y}\nrules:\n  runbook-monitoring: warning\n  runbook-go-no-go: off\n`,
    });
    const file = join(t.taskDir, `${t.task}-runbook.md`);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/## Go\/No-Go Decision Points[\s\S]*?(?=## Monitoring Metrics)/, '').replace(/## Monitoring Metrics[\s\S]*$/, ''));
    const r = await main(['validate', '--strict', '--no-cache', t.taskDir]);
    expect(r.stdout).toMatch(/warning {2}missing section "Monitoring Metrics".*runbook-monitoring\n/);
    expect(r.stdout).not.toMatch(/runbook-go-no-go\b(?!-)/);
    const preset = (await import('../src/validate/preset.js')).default;
    const vfile = await remark().use(preset).process({ path: file, value: readFileSync(file, 'utf8') });
    const runbookMessages = vfile.messages.filter((m) => m.ruleId?.startsWith('runbook-'));
    expect(runbookMessages.map((m) => [m.ruleId, m.fatal])).toEqual([['runbook-monitoring', false]]);
    const bad = teamTree(VALID.en, { 'common.yaml': (y) => `${y}\nrules:\n  runbook-monitorin: off\n` });
    const refused = await main(['validate', '--no-cache', bad.taskDir]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/rules names "runbook-monitorin", which is no rule id/);
    expect(() => checkRuleSettings(loadStandard(join(bad.ops, 'templates')))).toThrow(StandardError);
  });
});

describe('ticking printed boxes', () => {
  it('ticks the box before the word, clears an earlier tick, and reads ticks back', () => {
    expect(tickBox('☐ Pass ☐ Fail', 'Pass')).toBe('☑ Pass ☐ Fail');
    expect(tickBox('☑ Pass ☐ Fail', 'Fail')).toBe('☐ Pass ☑ Fail');
    expect(tickBox('[ ] Go [ ] No-Go', 'No-Go')).toBe('[ ] Go [x] No-Go');
    expect(tickBox('[ ] Go [ ] No-Go', 'Go')).toBe('[x] Go [ ] No-Go');
    expect(tickBox('☐', '')).toBe('☑');
    expect(tickBox('', 'Pass')).toBeUndefined();
    expect(tickBox('☐ Pass ☐ Fail', 'Skipped')).toBeUndefined();
    expect([tickedWord('☐ Pass ☑ Fail'), tickedWord('☐ Pass ☐ Fail'), tickedWord('Pass')]).toEqual(['Fail', '', undefined]);
  });
});
