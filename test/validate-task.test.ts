/** Task-level rules, placeholders and printability: what only shows across files or across a whole document. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadStandard } from '../src/standard/load.js';
import { validateSources, type Finding } from '../src/validate/index.js';
import { VALID, readTask } from './helpers/fixtures.js';
import { opsWith, tmp } from './helpers/tmp.js';
import { main } from './helpers/main.js';
import { collectTasks, readBytes } from '../src/workspace/collect.js';

const standard = loadStandard();

function validateDir(dir: string, strict = false): Finding[] {
  const tasks = collectTasks([dir]);
  return tasks.flatMap((t) => validateSources(t.files.map((path) => ({ path, bytes: readBytes(path) })), standard, { strict }));
}
const ids = (fs: Finding[], severity?: string) => fs.filter((f) => !severity || f.severity === severity).map((f) => `${f.file.split('/').pop()}:${f.ruleId}`).sort();

describe('task-level rules', () => {
  for (const lang of ['en', 'zh'] as const) {
    it(`${lang}: a document missing from the set → task-files on the first document present`, () => {
      const { taskDir, task } = opsWith(VALID[lang]);
      rmSync(join(taskDir, `${task}-rollback.md`));
      expect(ids(validateDir(taskDir), 'error')).toEqual([`${task}-runbook.md:task-files`]);
    });
    it(`${lang}: runbook missing → reported on the rollback plan`, () => {
      const { taskDir, task } = opsWith(VALID[lang]);
      rmSync(join(taskDir, `${task}-runbook.md`));
      expect(ids(validateDir(taskDir), 'error')).toEqual([`${task}-rollback.md:task-files`]);
    });
    it(`${lang}: a runbook step missing from the checklist → checklist-steps-coverage`, () => {
      const { taskDir, task } = opsWith(VALID[lang]);
      const file = join(taskDir, `${task}-checklist.md`);
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^\| S2 \|.*\n/m, ''));
      const found = validateDir(taskDir).filter((f) => f.severity === 'error');
      expect(ids(found)).toEqual([`${task}-checklist.md:checklist-steps-coverage`]);
      expect(found[0]!.message).toContain('S2');
    });
    it(`${lang}: a checklist row for a step the runbook lacks → checklist-steps-coverage`, () => {
      const { taskDir, task } = opsWith(VALID[lang]);
      const file = join(taskDir, `${task}-checklist.md`);
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^(\| S3 \|.*\n)/m, '$1| S9 | extra | 1 min | | | |\n'));
      const found = validateDir(taskDir).filter((f) => f.severity === 'error');
      expect(ids(found)).toEqual([`${task}-checklist.md:checklist-steps-coverage`]);
      expect(found[0]!.message).toContain('S9');
    });
    it(`${lang}: a Go/No-Go point missing from the checklist → checklist-go-no-go-coverage`, () => {
      const { taskDir, task } = opsWith(VALID[lang]);
      const file = join(taskDir, `${task}-runbook.md`);
      const text = readFileSync(file, 'utf8');
      // A second decision point in the runbook that the checklist does not record.
      const g2 = lang === 'en'
        ? '\n### G2: After the upgrade\n\n- **Go criteria:** all checks green\n- **No-Go action:** execute the rollback plan\n- **Decision maker:** change owner\n'
        : '\n### 决策点 G2：升级之后\n\n- **放行条件：** 全部检查通过\n- **不放行动作：** 执行回滚方案\n- **决策人：** 变更负责人\n';
      writeFileSync(file, text.replace(/(\n## (Monitoring Metrics|监控指标))/, `${g2}$1`));
      expect(ids(validateDir(taskDir), 'error')).toEqual([`${task}-checklist.md:checklist-go-no-go-coverage`]);
    });
  }

  it('a file whose name does not match its task and kind → task-file-name', () => {
    const { taskDir, task } = opsWith(VALID.en);
    renameSync(join(taskDir, `${task}-rollback.md`), join(taskDir, `${task}-ROLLBACK-rollback.md`));
    const found = ids(validateDir(taskDir), 'error');
    expect(found).toEqual([`${task}-ROLLBACK-rollback.md:task-file-name`]);
  });

  it('frontmatter task that differs from the folder → task-file-name', () => {
    const { taskDir, task } = opsWith(VALID.en);
    const file = join(taskDir, `${task}-runbook.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace(`task: ${task}`, 'task: 2025-11-10-k8s-cluster-upgrade-v1.29'));
    expect(ids(validateDir(taskDir), 'error')).toEqual([`${task}-runbook.md:task-file-name`]);
  });

  it('a task folder whose name breaks the convention → task-name', () => {
    const { ops, taskDir, task } = opsWith(VALID.en);
    const bad = join(ops, 'active', 'K8s Upgrade');
    renameSync(taskDir, bad);
    const found = validateDir(bad).filter((f) => f.severity === 'error');
    // One finding for the folder; the file names are not compared against a name that is itself wrong.
    expect(found.map((f) => [f.file.split('/').pop(), f.ruleId])).toEqual([[`${task}-runbook.md`, 'task-name']]);
    expect(found[0]!.message).toBe('task name "K8s Upgrade" does not follow [date]-[system]-[operation]-[short-desc] in lower-case ASCII, e.g. 2025-11-10-k8s-cluster-upgrade-v1.28: rename the task folder and its files');
  });
});

describe('validate FILE: a document on its own is checked as a document, task rules only in task folders', () => {
  const runbookOf = (lang: 'en' | 'zh') => readTask(VALID[lang]).docs.runbook;

  for (const lang of ['en', 'zh'] as const) {
    it(`${lang}: a valid runbook in a plain folder passes, with no task-files or task-name findings for the folder`, async () => {
      const dir = join(tmp(), 'drafts');
      mkdirSync(dir);
      const { path, text } = runbookOf(lang);
      const file = join(dir, basename(path));
      writeFileSync(file, text);
      const r = await main(['validate', '--no-cache', '--strict', file]);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('1 document(s) in 0 task(s): 0 error(s), 0 warning(s)\n');
      expect(r.code).toBe(0);
    });
  }

  it('a broken runbook in a plain folder gets the document findings and nothing about a task', async () => {
    const dir = tmp();
    const { text } = runbookOf('en');
    writeFileSync(join(dir, 'draft-runbook.md'), text.replace('## Executive Summary', '## Miscellany'));
    const r = await main(['validate', '--no-cache', '--format', 'json', join(dir, 'draft-runbook.md')]);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as Finding[]).map((f) => f.ruleId)).toEqual(['runbook-summary']);
  });

  it('a lone runbook in its task folder (active/<task>/) is still checked with its task: the other three are missing', async () => {
    const { taskDir, task } = opsWith(VALID.en);
    for (const kind of ['rollback', 'checklist', 'postmortem-template']) rmSync(join(taskDir, `${task}-${kind}.md`));
    const r = await main(['validate', '--no-cache', '--format', 'json', join(taskDir, `${task}-runbook.md`)]);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as Finding[]).map((f) => f.ruleId)).toEqual(['task-files', 'task-files', 'task-files']);
  });

  it('a folder named after its document is a task folder wherever it is', async () => {
    const dir = join(tmp(), 'k8s-upgrade');
    mkdirSync(dir);
    writeFileSync(join(dir, 'k8s-upgrade-runbook.md'), runbookOf('en').text);
    const r = await main(['validate', '--no-cache', '--format', 'json', join(dir, 'k8s-upgrade-runbook.md')]);
    expect((JSON.parse(r.stdout) as Finding[]).map((f) => f.ruleId)).toContain('task-files');
  });

  it('a badly named folder in active/ is a task folder: task-name for a single file too', async () => {
    const { ops, taskDir, task } = opsWith(VALID.en);
    const bad = join(ops, 'active', 'K8s Upgrade');
    renameSync(taskDir, bad);
    const r = await main(['validate', '--no-cache', '--format', 'json', join(bad, `${task}-runbook.md`)]);
    expect((JSON.parse(r.stdout) as Finding[]).map((f) => f.ruleId)).toEqual(['task-name']);
  });
});

describe('placeholders', () => {
  it('are warnings by default and errors under --strict, with the position of the placeholder', () => {
    const { taskDir, task } = opsWith(VALID.en);
    const file = join(taskDir, `${task}-runbook.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('kubectl drain node-1 --ignore-daemonsets', 'kubectl drain <node-name> --ignore-daemonsets').replace('change owner with the on-call SRE', 'TBD'));
    const lax = validateDir(taskDir).filter((f) => f.ruleId === 'no-placeholders');
    expect(lax.map((f) => [f.severity, f.line, f.column, f.message])).toEqual([
      ['warning', 52, 15, 'placeholder "<node-name>" left in the document: replace it with the real value'],
      ['warning', 72, 23, 'placeholder "TBD" left in the document: replace it with the real value'],
    ]);
    expect(validateDir(taskDir, true).filter((f) => f.ruleId === 'no-placeholders').map((f) => f.severity)).toEqual(['error', 'error']);
  });

  it('in Chinese: 待填写 and 待定 are reported in Chinese', () => {
    const { taskDir, task } = opsWith(VALID.zh);
    const file = join(taskDir, `${task}-runbook.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('变更负责人与值班 DBA', '待定'));
    const found = validateDir(taskDir, true).filter((f) => f.ruleId === 'no-placeholders');
    expect(found.map((f) => f.message)).toEqual(['文档中残留占位符“待定”：请替换为实际值']);
  });

  it('HTML tags and autolinks are not placeholders; the postmortem template may keep its blanks', () => {
    const { taskDir, task } = opsWith(VALID.en);
    const file = join(taskDir, `${task}-runbook.md`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('Upgrade the production cluster', 'Upgrade<br> the production cluster (<https://example.com>)'));
    expect(validateDir(taskDir, true)).toEqual([]);
  });
});

describe('printable checklist', () => {
  it('a table of 8 columns → checklist-printable', () => {
    const { taskDir, task } = opsWith(VALID.en);
    const file = join(taskDir, `${task}-checklist.md`);
    writeFileSync(file, readFileSync(file, 'utf8') + '\n## Notes\n\n| a | b | c | d | e | f | g | h |\n|---|---|---|---|---|---|---|---|\n| 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 |\n');
    const found = validateDir(taskDir).filter((f) => f.severity === 'error');
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([['checklist-printable', 55]]);
  });
});
