import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root (templates/, prompts/ and package.json live there): the nearest folder up that holds
 * templates/standard/. Found by walking, because this file runs from src/ under the test runner, from dist/src/
 * when compiled and from dist/bin/chunks/ when bundled.
 */
export const PACKAGE_ROOT = ((): string => {
  const here = dirname(fileURLToPath(import.meta.url));
  let dir = here;
  while (!existsSync(join(dir, 'templates', 'standard', 'common.yaml'))) {
    const up = dirname(dir);
    if (up === dir) return resolve(here, '..', '..', '..');
    dir = up;
  }
  return dir;
})();
