/**
 * The Claude Code face as files: the project command, the plugin's skill and manifests, and this repository's own
 * ops/ README. The end-to-end test proves they work in the real client; these pin what must not drift.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { main } from './helpers/main.js';
import { tmp } from './helpers/tmp.js';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './helpers/fixtures.js';

const text = (p: string) => readFileSync(join(ROOT, p), 'utf8');
const json = (p: string) => JSON.parse(text(p)) as Record<string, unknown>;

function split(md: string): { front: Record<string, string>; body: string } {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(md);
  if (!m) throw new Error('no frontmatter');
  return { front: parse(m[1]!) as Record<string, string>, body: md.slice(m[0].length) };
}

const PROJECT_CLI = 'npx --no ops-docs';
const PLUGIN_CLI = 'node "${CLAUDE_PLUGIN_ROOT}/dist/bin/cli.js"';
const command = split(text('.claude/commands/ops-docs.md'));
const skill = split(text('skills/ops-docs/SKILL.md'));
const pkg = json('package.json') as { name: string; version: string; files: string[] };

describe('the /ops-docs project command', () => {
  it('pre-approves only our CLI (new, validate) and edits under ops/', () => {
    expect(command.front['allowed-tools']).toBe(`Bash(${PROJECT_CLI} new:*), Bash(${PROJECT_CLI} validate:*), Edit(ops/**)`);
    expect(command.front.description).toMatch(/runbook, rollback plan, checklist and postmortem template/);
    expect(command.front['argument-hint']).toMatch(/^<.+>$/);
  });

  it('holds the arguments once, as data between markers, and runs nothing before the model sees them', () => {
    expect(command.body.split('$ARGUMENTS')).toHaveLength(2);
    expect(command.body).toContain('<ops-docs-request>\n$ARGUMENTS\n</ops-docs-request>');
    expect(command.body).not.toMatch(/!`/); // no pre-run shell lines at all
    expect(command.body).not.toMatch(/\$[0-9]/); // positional arguments changed meaning in 2.1.19
    // The only shell lines it asks for read the request from a file the model wrote.
    expect(command.body).toContain(`\n${PROJECT_CLI} new --stdin --json < ops/.drafts/request.txt\n`);
    expect(command.body).toContain(`${PROJECT_CLI} validate --strict <dir>`);
  });
});

describe('the plugin', () => {
  it('has a skill named as the Agent Skills spec asks, with a description that says when to use it', () => {
    expect(skill.front.name).toBe('ops-docs');
    expect(skill.front.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(skill.front.description!.length).toBeGreaterThan(50);
    expect(skill.front.description!.length).toBeLessThanOrEqual(1024);
    expect(skill.front.description).toMatch(/Use when/);
  });

  it('runs the CLI of its own install, with the same instructions as the project command', () => {
    expect(skill.front['allowed-tools']).toBe(`Bash(${PLUGIN_CLI} new:*), Bash(${PLUGIN_CLI} validate:*), Edit(ops/**)`);
    expect(skill.body).not.toContain('npx');
    expect(skill.body).toBe(command.body.replaceAll(PROJECT_CLI, PLUGIN_CLI));
  });

  it('has manifests that agree with package.json, and the package ships what the plugin needs', () => {
    const plugin = json('.claude-plugin/plugin.json');
    expect(plugin.name).toBe('ops-docs');
    expect(plugin.version).toBe(pkg.version);
    const market = json('.claude-plugin/marketplace.json') as { plugins: { name: string; version: string; source: unknown }[] };
    expect(market.plugins).toHaveLength(1);
    expect(market.plugins[0]!.name).toBe('ops-docs');
    expect(market.plugins[0]!.version).toBe(pkg.version);
    // Installed from npm, the plugin has dist/ and its dependencies; a git checkout would have neither.
    expect(market.plugins[0]!.source).toEqual({ source: 'npm', package: pkg.name, version: pkg.version });
    for (const f of ['dist', 'templates', '.claude', '.claude-plugin', 'skills']) expect(pkg.files).toContain(f);
  });
});

describe("this repository's ops/", () => {
  it('has the README init writes, in Chinese, and its English counterpart', () => {
    expect(text('ops/README.md')).toBe(text('templates/workspace/README.zh.md'));
    expect(text('ops/README.en.md')).toBe(text('templates/workspace/README.en.md'));
  });

  it('describes the same layout and workflow in both languages', () => {
    const zh = text('templates/workspace/README.zh.md');
    const en = text('templates/workspace/README.en.md');
    // The commands a reader copies are the same, comments aside.
    const commands = (md: string) => [...md.matchAll(/^(?:npx |ls |\/ops-docs )[^#\n]*/gm)].map((m) => m[0].trimEnd());
    expect(commands(zh)).toEqual(commands(en));
    expect(commands(en)).toContain('/ops-docs kubernetes cluster upgrade to v1.28');
    const names = (md: string) => [...md.matchAll(/\b20\d\d-\d\d-\d\d-[a-z0-9.-]+/g)].map((m) => m[0]);
    expect(names(zh)).toEqual(names(en));
    expect(zh.match(/^#+ /gm)).toEqual(en.match(/^#+ /gm));
  });

  /** The standard's three examples, as `ops-docs new` writes them (README: "generated by the tool"). */
  const EXAMPLES: [string, string, string][] = [
    ['2025-11-03', 'database migration from PostgreSQL 12 to 15', '2025-11-03-postgres-upgrade-v12-to-v15'],
    ['2025-11-10', 'kubernetes cluster upgrade to v1.28', '2025-11-10-k8s-cluster-upgrade-v1.28'],
    ['2025-11-15', 'CDN provider switchover from CloudFlare to AWS CloudFront', '2025-11-15-cdn-switchover-cloudflare-to-aws'],
  ];

  it('holds the three examples of the standard, and they pass validate --strict', async () => {
    // Only the examples, by name: the README's quick start writes a task of its own into ops/active/ first.
    expect(readdirSync(join(ROOT, 'ops/active')).filter((n) => EXAMPLES.some((e) => e[2] === n)).sort()).toEqual(EXAMPLES.map((e) => e[2]));
    const r = await main(['validate', '--strict', '--no-cache', ...EXAMPLES.map((e) => join(ROOT, 'ops/active', e[2]))]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stderr).toBe('12 document(s) in 3 task(s): 0 error(s), 0 warning(s)\n');
  });

  it('holds exactly what the tool writes today (a failure names the command that regenerates the example)', async () => {
    const dir = tmp();
    for (const [date, description, task] of EXAMPLES) {
      const r = await main(['new', '--provider', 'offline', '--ops-dir', join(dir, 'ops'), '--date', date, description]);
      expect(r.code, r.stderr).toBe(0);
      for (const name of readdirSync(join(ROOT, 'ops/active', task))) {
        expect(readFileSync(join(dir, 'ops/active', task, name), 'utf8'), `${task}/${name} is stale: run node dist/bin/cli.js new --provider offline --force --date ${date} "${description}"`)
          .toBe(readFileSync(join(ROOT, 'ops/active', task, name), 'utf8'));
      }
      expect(readdirSync(join(dir, 'ops/active', task)).sort()).toEqual(readdirSync(join(ROOT, 'ops/active', task)).sort());
    }
  });
});
