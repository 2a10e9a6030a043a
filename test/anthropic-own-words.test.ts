/**
 * The model path accepts the model's own words: the prompt asks for the canonical headings and labels, but a
 * complete document that words them differently (synonyms, another numbering, fields as plain list items) is
 * written without a repair round and passes validate --strict.
 */
import { describe, expect, it } from 'vitest';
import { generateWithAnthropic } from '../src/generate/anthropic.js';
import { loadStandard } from '../src/standard/load.js';
import { KINDS, type Lang } from '../src/standard/types.js';
import { validateTaskSources } from '../src/validate/index.js';
import { FIXTURE, fixtureBodies, happyScript, useFakeAnthropic } from './anthropic-script.js';

const server = useFakeAnthropic();

/** The fixture drafts reworded the way a model might: every heading, label and number in other words. */
const REWORD: Record<Lang, { runbook: [string | RegExp, string][]; rollback: [string | RegExp, string][] }> = {
  en: {
    runbook: [
      ['## Executive Summary', '## Overview'], ['## Impact Assessment', '## Risk and impact'],
      ['- **Affected services:**', '- Services:'], ['- **Affected users:**', '- Users:'], ['- **Expected downtime:**', '- Downtime:'], ['- **Risk level:**', '- Risk:'],
      ['## Detailed Steps', '## Procedure'], [/### Step S(\d):/g, '### Step $1 —'],
      [/- \*\*Verification:\*\*/g, '- Verify:'], [/- \*\*Expected output:\*\*/g, '- Expected:'], [/- \*\*On error:\*\*/g, '- If it fails:'], [/- \*\*Time estimate:\*\*/g, '- Duration:'],
      ['## Time Estimate', '## Timing'], ['- **Total:** 90 min', 'In all about 90 min, including a 15 min buffer.'],
      ['## Go/No-Go Decision Points', '## Go / No-Go'], ['### G1:', '### GNG-1 —'], ['- **Go criteria:**', '- Go if:'],
      ['## Monitoring Metrics', '## What to watch'], ['| Metric | Threshold | Where to read |', '| Signal | Alert when | Dashboard |'],
    ],
    rollback: [['## Rollback Triggers', '## When to roll back'], ['## Rollback Steps', '## Back-out steps'], [/### Step R(\d):/g, '### $1.'],
      [/- \*\*Verification:\*\*/g, '- Check:'], ['## Rollback Time Estimate', '## How long it takes'], ['## Data Recovery Procedure', '## Data']],
  },
  zh: {
    runbook: [['## 执行概要', '## 概述'], ['## 详细操作步骤', '## 操作步骤'], [/### 步骤 S(\d)：/g, '### 第$1步：'], [/\*\*验证检查点：\*\*/g, '**检查：**'],
      ['## 决策点（Go/No-Go）', '## 决策点'], ['### 决策点 G1：', '### 决策点一：'], ['## 监控指标', '## 监控']],
    rollback: [['## 回滚触发条件', '## 回滚条件'], [/### 步骤 R(\d)：/g, '### 第$1步：'], [/\*\*验证检查点：\*\*/g, '**检查：**'], ['## 回滚时间估计', '## 回滚耗时']],
  },
};

function reword(text: string, rules: [string | RegExp, string][]): string {
  let out = text;
  for (const [from, to] of rules) {
    const next = out.replace(from, to);
    if (next === out) throw new Error(`the fixture has no ${String(from)}`);
    out = next;
  }
  return out;
}

describe('the model writes in its own words', () => {
  for (const lang of ['en', 'zh'] as const) {
    it(`${lang}: no repair round, and the task passes validate --strict`, async () => {
      const bodies = fixtureBodies(lang);
      const own = { runbook: reword(bodies.runbook, REWORD[lang].runbook), rollback: reword(bodies.rollback, REWORD[lang].rollback) };
      server().setScript(happyScript(lang, {
        document: (_req, kind) => (kind === 'runbook' || kind === 'rollback' ? { type: 'text', text: own[kind] } : undefined),
      }));
      const f = FIXTURE[lang];
      const result = await generateWithAnthropic(
        { description: f.description, task: { ...f.task }, lang, standard: loadStandard(), strict: true, onProgress: () => {} },
        { apiKey: 'sk-ant-api03-TEST', baseURL: server().url, model: 'claude-sonnet-5-5', maxRepairs: 2, timeoutMs: 10_000, maxRetries: 0 },
        { backoffMs: () => 10 },
      );
      expect(result.findings).toEqual({ runbook: [], rollback: [], checklist: [], 'postmortem-template': [] });
      expect(result.ok).toBe(true);
      expect(result.attempts).toEqual({ runbook: 1, rollback: 1, checklist: 1, 'postmortem-template': 1 });
      expect(server().requests.map((r) => r.call.role)).toEqual(['plan', 'document', 'document']);
      expect(result.docs.runbook).toContain(own.runbook.trim());
      const task = f.task.name;
      const files = KINDS.map((k) => ({ path: `/x/${task}/${task}-${k}.md`, bytes: Buffer.from(result.docs[k]) }));
      expect(validateTaskSources(`/x/${task}`, files, loadStandard(), { strict: true })).toEqual([]);
      // The prompt still asks for the canonical form.
      const prompt = JSON.stringify(server().requests[1]!.body);
      expect(prompt).toContain(lang === 'en' ? '## Executive Summary' : '## 执行概要');
    });
  }
});
