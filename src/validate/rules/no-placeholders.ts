/**
 * no-placeholders — a document ready for review has no blanks left: `TODO`, `TBD`, `FIXME`, `<hostname>`,
 * `待填写`, `待定`. A warning while drafting; an error under `--strict`. The postmortem *template* is exempt
 * (`placeholders: allowed` in its standard): its blanks are filled after the change.
 *
 * Rule id: `no-placeholders`.
 *
 * Passes:
 *   ```bash
 *   kubectl drain node-1
 *   ```
 * Fails (`no-placeholders`):
 *   ```bash
 *   kubectl drain <node-name>
 *   ```
 * Fails (`no-placeholders`):
 *   负责人：待定
 */
import { defineRule, fill } from '../rule.js';
import { descendants } from '../../document/model.js';

const cache = new Map<string, RegExp>();

export const noPlaceholders = defineRule({ origin: 'ops-docs:no-placeholders', ids: () => ['no-placeholders'] }, ({ model, spec, standard, strict, report }) => {
  {
    if (spec?.placeholders === 'allowed') return;
    const src = standard.common.placeholders.pattern;
    let re = cache.get(src);
    if (!re) cache.set(src, (re = new RegExp(src, 'gu')));
    const html = new Set(standard.common.placeholders.htmlTags);
    const severity = strict ? 'error' : 'warning';
    let reported = 0;
    for (const n of descendants(model.tree.children)) {
      if (!('value' in n) || typeof n.value !== 'string' || n.type === 'yaml') continue;
      re.lastIndex = 0;
      for (const m of n.value.matchAll(re)) {
        const word = m[0];
        const tag = /^<\/?([a-z0-9]+)/i.exec(word)?.[1]?.toLowerCase();
        if (tag && html.has(tag)) continue;
        if (/^<(?:https?|mailto):/i.test(word)) continue;
        // Position of the match inside the node: lines before it within the node's value.
        const before = n.value.slice(0, m.index);
        const lines = before.split('\n');
        const start = n.position?.start ?? { line: 1, column: 1 };
        const line = start.line + lines.length - 1 + (n.type === 'code' ? 1 : 0);
        const column = lines.length > 1 || n.type === 'code' ? lines[lines.length - 1]!.length + 1 : start.column + before.length;
        report('no-placeholders', fill({
          en: 'placeholder "{word}" left in the document: replace it with the real value',
          zh: '文档中残留占位符“{word}”：请替换为实际值',
        }, { word }), { line, column }, severity);
        if (++reported >= 50) return; // one file of blanks should not bury every other finding
      }
    }
  }
});
