/**
 * `--format github`: findings as GitHub Actions workflow commands, byte for byte — the runner parses these lines,
 * so an unescaped `,` in a path or a line break in a message would cut an annotation short or forge another.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeData, escapeProperty, githubAnnotation } from '../src/verbs/github-annotations.js';
import { main } from './helpers/main.js';
import { VALID } from './helpers/fixtures.js';
import { tmp } from './helpers/tmp.js';

const TASK = '2025-11-10-k8s-cluster-upgrade-v1.28';
const RUNBOOK = `ops/active/${TASK}/${TASK}-runbook.md`;

describe('workflow-command escaping, as actions/toolkit escapes', () => {
  it('escapes %, CR and LF in the message, and also : and , in a property', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext%3A a%2C b');
    // % first: an escape sequence already in the text stays literal text, not a second character.
    expect(escapeData('%0A')).toBe('%250A');
  });

  it('writes file, line, col, title in that order, the path relative to the checkout with forward slashes', () => {
    expect(githubAnnotation({ severity: 'error', file: '/w/repo/ops/a,b:c/x.md', line: 3, column: 5, title: 'rule:x', message: '100% sure\r\nnext' }, '/w/repo'))
      .toBe('::error file=ops/a%2Cb%3Ac/x.md,line=3,col=5,title=rule%3Ax::100%25 sure%0D%0Anext');
    expect(githubAnnotation({ severity: 'warning', file: '/w/repo/ops/archive', title: 'layout-missing', message: 'no archive/ folder' }, '/w/repo'))
      .toBe('::warning file=ops/archive,title=layout-missing::no archive/ folder');
  });
});

/** A checkout with one task whose runbook status holds %, a comma and a line break, and a draft in an odd folder. */
function checkout(): string {
  const root = tmp();
  cpSync(VALID.en, join(root, 'ops/active', TASK), { recursive: true });
  mkdirSync(join(root, 'ops/archive'));
  const runbook = join(root, RUNBOOK);
  writeFileSync(runbook, readFileSync(runbook, 'utf8').replace(/^status: planned$/m, 'status: "50%, done\\r\\nreally"'));
  mkdirSync(join(root, 'drafts,v2:old'));
  const draft = readFileSync(join(VALID.en, `${TASK}-rollback.md`), 'utf8').replace('## Rollback Triggers', '## Triggers, maybe');
  writeFileSync(join(root, 'drafts,v2:old', 'draft-rollback.md'), draft);
  return root;
}

describe('validate --format github', () => {
  it('prints one annotation per finding, escaped, and exits 1 on errors', async () => {
    const root = checkout();
    const r = await main(['validate', '--strict', '--no-cache', '--format', 'github', 'ops', 'drafts,v2:old/draft-rollback.md'], { cwd: root });
    expect(r.stdout).toBe(
      '::error file=drafts%2Cv2%3Aold/draft-rollback.md,line=1,col=1,title=rollback-triggers::missing section "Rollback Triggers" (also: Triggers, When to Roll Back, Rollback Criteria, Trigger Conditions, …): add a "## Rollback Triggers" heading\n'
      + `::error file=${RUNBOOK},line=1,col=1,title=frontmatter-status::frontmatter "status" is "50%25, done%0D%0Areally"; expected planned | approved | in-progress | done | rolled-back | cancelled\n`,
    );
    expect(r.stderr).toBe('5 document(s) in 1 task(s): 2 error(s), 0 warning(s)\n');
    expect(r.code).toBe(1);
  });

  it('a warning is a ::warning and does not fail; a clean tree prints nothing and exits 0', async () => {
    const root = tmp();
    cpSync(VALID.en, join(root, 'ops/active', TASK), { recursive: true });
    const runbook = join(root, RUNBOOK);
    const text = readFileSync(runbook, 'utf8');
    const clean = await main(['validate', '--no-cache', '--format', 'github', 'ops'], { cwd: root });
    expect([clean.code, clean.stdout]).toEqual([0, '']);
    writeFileSync(runbook, text.replace('## Executive Summary\n\n', '## Executive Summary\n\nOwner: TBD. '));
    const r = await main(['validate', '--no-cache', '--format', 'github', 'ops'], { cwd: root });
    expect(r.stdout).toBe(`::warning file=${RUNBOOK},line=15,col=8,title=no-placeholders::placeholder "TBD" left in the document: replace it with the real value\n`);
    expect(r.code).toBe(0);
  });

  it('refuses an unknown format (exit 2), in both languages', async () => {
    expect(await main(['validate', '--format', 'sarif'])).toMatchObject({ code: 2, stderr: 'ops-docs: --format must be text, json or github, not "sarif"\n' });
    expect(await main(['validate', '--format', 'sarif'], { env: { OPS_DOCS_LANG: 'zh' } })).toMatchObject({ code: 2, stderr: 'ops-docs: --format 只能是 text、json 或 github，而不是“sarif”\n' });
  });
});

describe('doctor --format github', () => {
  it('under --check every finding is an ::error on its path, titled with its code, and the job fails', async () => {
    const root = checkout();
    const r = await main(['doctor', '--check', '--format', 'github'], { cwd: root });
    expect(r.stdout).toBe(
      `::error file=ops/active/${TASK},title=invalid::1 validation error(s), first: ${TASK}-runbook.md:1 frontmatter "status" is "50%25, done%0D%0Areally"; expected planned | approved | in-progress | done | rolled-back | cancelled (frontmatter-status); run ops-docs validate ops/active/${TASK}\n`
      + `::error file=ops/active/${TASK},title=status-mismatch::the documents disagree about the status (the checklist says planned; runbook differ): run ops-docs status ${TASK} planned to bring them in line\n`,
    );
    expect(r.stderr).toBe('1 task(s): 2 finding(s)\n');
    expect(r.code).toBe(1);
  });

  it('without --check the findings are warnings and doctor exits 0; --json still means --format json', async () => {
    const root = tmp();
    mkdirSync(join(root, 'ops/active'), { recursive: true });
    const r = await main(['doctor', '--format', 'github'], { cwd: root });
    expect(r.stdout).toBe('::warning file=ops/archive,title=layout-missing::the ops folder has no archive/ folder: create it (ops-docs init does)\n');
    expect(r.code).toBe(0);
    const json = await main(['doctor', '--json'], { cwd: root });
    expect(JSON.parse(json.stdout)).toEqual([{ task: '', path: join(root, 'ops/archive'), code: 'layout-missing', message: 'the ops folder has no archive/ folder: create it (ops-docs init does)' }]);
    expect((await main(['doctor', '--json', '--format', 'github'], { cwd: root })).code).toBe(2);
    expect(await main(['doctor', '--format', 'xml'], { cwd: root })).toMatchObject({ code: 2, stderr: 'ops-docs: --format must be text, json or github (json, if --json is given too), not "xml"\n' });
  });
});
