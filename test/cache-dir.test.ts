/**
 * The cache folder's entries (src/standard/cache-dir.ts): written whole or not at all, private to the user, read
 * back as bytes, and pruned to the most recently written; and the parsed YAML the build ships beside them.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keepNewest, readCacheEntry, writeCacheEntry } from '../src/standard/cache-dir.js';
import { parseYaml, readYamlCached, SHIPPED_YAML_DIR, yamlEntryName } from '../src/standard/yaml-file.js';
import { ROOT } from './helpers/fixtures.js';
import { tmp } from './helpers/tmp.js';

describe('cache entries', () => {
  it('are written whole into a private folder, and read back as the same bytes', () => {
    const dir = join(tmp(), 'cache', 'results');
    const file = join(dir, 'a.json');
    expect(writeCacheEntry(file, '[1,2]')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('[1,2]');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readCacheEntry(file)?.toString('utf8')).toBe('[1,2]');
    expect(writeCacheEntry(file, new Uint8Array([0, 255]))).toBe(true);
    expect([...readCacheEntry(file)!]).toEqual([0, 255]);
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('a folder that cannot be made: false, nothing written, nothing thrown; a missing entry reads as undefined', () => {
    const root = tmp();
    writeFileSync(join(root, 'results'), 'a file, not a folder');
    expect(writeCacheEntry(join(root, 'results', 'a.json'), '[]')).toBe(false);
    expect(readdirSync(root)).toEqual(['results']);
    expect(readCacheEntry(join(root, 'results', 'a.json'))).toBeUndefined();
    expect(readCacheEntry(join(root, 'none.json'))).toBeUndefined();
  });

  it('keepNewest leaves the most recently written entries with the suffix, removes abandoned temporary files, and touches nothing else', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'sub'));
    for (let i = 0; i < 5; i++) {
      const f = join(dir, `${i}.json`);
      writeFileSync(f, '[]');
      utimesSync(f, new Date(), new Date(Date.now() - i * 60_000)); // 0 is the newest
    }
    writeFileSync(join(dir, 'written'), '5');
    // A temporary file of a run killed two hours ago goes; one being written now stays.
    writeFileSync(join(dir, '9.json.123.tmp'), '[');
    utimesSync(join(dir, '9.json.123.tmp'), new Date(), new Date(Date.now() - 2 * 3_600_000));
    writeFileSync(join(dir, '8.json.456.tmp'), '[');
    expect(keepNewest(dir, 3, '.json')).toBe(3);
    expect(readdirSync(dir).sort()).toEqual(['0.json', '1.json', '2.json', '8.json.456.tmp', 'sub', 'written']);
    expect(keepNewest(dir, 10, '.json')).toBe(3);
    expect(readdirSync(dir)).toHaveLength(6);
  });
});

describe('the parsed YAML the build ships (dist/yaml/)', () => {
  const templates = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? templates(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));

  it('holds every YAML file under templates/, as the cache names it and as it parses', () => {
    const files = templates(join(ROOT, 'templates'));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const entry = join(SHIPPED_YAML_DIR, yamlEntryName(text));
      expect(JSON.parse(readFileSync(entry, 'utf8')), f).toEqual(parseYaml(text, f));
    }
    expect(readdirSync(SHIPPED_YAML_DIR).sort()).toEqual([...new Set(files.map((f) => yamlEntryName(readFileSync(f, 'utf8'))))].sort());
  });

  it('answers for the package\'s own files, so a first run writes no YAML entry; an edited copy is parsed once and cached', () => {
    const cache = tmp();
    const saved = process.env.OPS_DOCS_CACHE_DIR;
    process.env.OPS_DOCS_CACHE_DIR = cache;
    try {
      const common = join(ROOT, 'templates', 'standard', 'common.yaml');
      expect(readYamlCached(common)).toEqual(parseYaml(readFileSync(common, 'utf8'), common));
      expect(readdirSync(cache)).toEqual([]);
      // A team's edit of the file: not shipped, so parsed and kept in the user's cache; a damaged entry is redone.
      const edited = join(tmp(), 'common.yaml');
      writeFileSync(edited, `${readFileSync(common, 'utf8')}\n# our team's copy\n`);
      const expected = parseYaml(readFileSync(edited, 'utf8'), edited);
      expect(readYamlCached(edited)).toEqual(expected);
      const entry = join(cache, 'yaml', yamlEntryName(readFileSync(edited, 'utf8')));
      expect(JSON.parse(readFileSync(entry, 'utf8'))).toEqual(expected);
      writeFileSync(entry, '{"damaged":');
      expect(readYamlCached(edited)).toEqual(expected);
      expect(JSON.parse(readFileSync(entry, 'utf8'))).toEqual(expected);
    } finally {
      if (saved === undefined) delete process.env.OPS_DOCS_CACHE_DIR;
      else process.env.OPS_DOCS_CACHE_DIR = saved;
    }
  });
});
