/**
 * Which install of ops-docs is running, and so how the /ops-docs command in a repository must call it. `npx --no
 * ops-docs` finds only a project install (node_modules/.bin); with ops-docs installed globally it goes to the
 * registry and fails, and a plugin's CLI lives wherever Claude Code put the plugin. The command init writes calls
 * the install init was run from.
 */
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, sep } from 'node:path';

export type InstallKind = 'plugin' | 'project' | 'global' | 'path';

export interface Install {
  kind: InstallKind;
  /**
   * The command line that starts our CLI, as the /ops-docs command runs it (every line the command asks for, and
   * its `allowed-tools`, begin with it). Undefined for the plugin: its own skill answers /ops-docs.
   */
  cli?: string;
  /** The file that told us: the bin on PATH, the project's node_modules/ops-docs, the plugin folder. */
  evidence: string;
}

/** How the shipped command (the package's .claude/commands/ops-docs.md) calls the CLI: a project install. */
export const PROJECT_CLI = 'npx --no ops-docs';

function real(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/**
 * The bin of our own package, run by path. Characters that a shell or the `Bash(…)` permission syntax would read
 * as something else are refused, so the command never needs quoting beyond the plain double quotes it has.
 */
const SAFE_PATH = /^[A-Za-z0-9_.\/@+~ -]+$/;

export function detectInstall(packageRoot: string, target: string, env: NodeJS.ProcessEnv = process.env): Install {
  const me = real(packageRoot) ?? packageRoot;
  const bin = join(me, 'dist', 'bin', 'cli.js');

  const pluginRoot = env.CLAUDE_PLUGIN_ROOT ? real(env.CLAUDE_PLUGIN_ROOT) : undefined;
  const plugins = join(env.CLAUDE_CONFIG_DIR ?? join(homedir(), '.claude'), 'plugins') + sep;
  if (pluginRoot === me || me.startsWith(plugins)) return { kind: 'plugin', evidence: me };

  const local = join(target, 'node_modules', 'ops-docs');
  if (real(local) === me && existsSync(join(target, 'node_modules', '.bin', 'ops-docs'))) {
    return { kind: 'project', cli: PROJECT_CLI, evidence: local };
  }

  // The first ops-docs on PATH is the one a shell runs; it counts only when it is this very install.
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const onPath = join(dir, 'ops-docs');
    if (!existsSync(onPath)) continue;
    if (real(onPath) === bin) return { kind: 'global', cli: 'ops-docs', evidence: onPath };
    break;
  }

  return { kind: 'path', cli: SAFE_PATH.test(bin) ? `node "${bin}"` : undefined, evidence: bin };
}

/** The /ops-docs command for an install: the shipped command with its CLI line swapped for the install's. */
export function commandFor(template: string, cli: string): string {
  return template.replaceAll(PROJECT_CLI, cli);
}
