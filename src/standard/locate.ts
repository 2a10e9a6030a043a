import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The ops folder that holds a path: the nearest ancestor with `active/`, `archive/` or `templates/standard/`. */
export function opsDirOf(path: string): string | undefined {
  let dir = resolve(path);
  try {
    if (!statSync(dir).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  for (;;) {
    if (existsSync(join(dir, 'templates', 'standard')) || (existsSync(join(dir, 'active')) && existsSync(join(dir, 'archive')))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** A team's customised standard, when the ops folder has one (`ops-docs init` copies it there). */
export function overrideDirOf(opsDir: string | undefined): string | undefined {
  if (!opsDir) return undefined;
  const t = join(opsDir, 'templates');
  return existsSync(join(t, 'standard')) ? t : undefined;
}
