/**
 * The request vocabulary's file: templates/vocabulary.yaml, or a team's `<ops>/templates/vocabulary.yaml` that
 * replaces it whole. Read here (the standard owns the template files); naming.ts compiles and uses it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_TEMPLATES } from './load.js';
import { readYamlCached } from './yaml-file.js';

export const VOCABULARY_FILE = 'vocabulary.yaml';

/** The vocabulary's parsed data and the file it came from. */
export function readVocabularyData(overrideDir?: string): { raw: unknown; file: string } {
  const own = overrideDir ? join(overrideDir, VOCABULARY_FILE) : undefined;
  const file = own && existsSync(own) ? own : join(BUILTIN_TEMPLATES, VOCABULARY_FILE);
  return { raw: readYamlCached(file), file };
}
