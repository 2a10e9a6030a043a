/** The request vocabulary, read from the templates (a team's own file first) and compiled once per file. */
import { StandardError } from '../standard/load.js';
import { readVocabularyData } from '../standard/vocabulary.js';
import { compileVocabulary, VocabularyError, type Vocabulary } from '../naming.js';

export function loadVocabulary(overrideDir?: string): Vocabulary {
  const { raw, file } = readVocabularyData(overrideDir);
  try {
    return compileVocabulary(raw, file);
  } catch (err) {
    if (err instanceof VocabularyError) throw new StandardError(err.message);
    throw err;
  }
}
