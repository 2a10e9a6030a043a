/**
 * section-items — a section made of items (runbook steps S1…, Go/No-Go points G1…, rollback steps R1…) has at
 * least one, each with an executable command where the standard asks for one, and each with every field the
 * standard lists for it. Items are the section's sub-headings, numbered any usual way (`Step S1:`, `Step 1 —`,
 * `1.`, `第一步`, `GNG-1`, `决策点一：`) or not at all (the n-th item is S<n>); a section with no sub-headings may
 * hold its items as the rows of one table whose columns are the fields.
 *
 * Rule ids: `<kind>-<section>` (no items, a duplicate number), `<kind>-<section>-command`,
 * `<kind>-<section>-<field>`, e.g. `runbook-steps-verification`, `runbook-go-no-go-no-go`.
 *
 * Passes:
 *   ## Detailed Steps
 *   ### Step 1 — Drain node-1
 *   ```bash
 *   kubectl drain node-1 --ignore-daemonsets
 *   ```
 *   - **Verification:** `kubectl get node node-1` shows SchedulingDisabled
 *   - **Expected output:** `node/node-1 drained`
 *   - **On error:** stop; uncordon the node and open the rollback plan
 *   - **Time estimate:** 10 min
 * Fails (`runbook-steps-command`):
 *   ## Detailed Steps
 *   ### Step 1 — Drain node-1
 *   ```text
 *   kubectl drain node-1 --ignore-daemonsets
 *   ```
 *   - **Verification:** `kubectl get node node-1` shows SchedulingDisabled
 *   - **Expected output:** `node/node-1 drained`
 *   - **On error:** stop; uncordon the node and open the rollback plan
 *   - **Time estimate:** 10 min
 */
import { hasCommand, itemsOf } from '../../document/model.js';
import { checkFields } from '../fields.js';
import { alsoKnownAs, defineRule, fill, idsFor, sectionsRequiring } from '../rule.js';

export const sectionItems = defineRule({
  origin: 'ops-docs:section-items',
  ids: (standard) => idsFor(standard, 'items', (s) => ['', ...(s.items?.command ? ['command'] : []), ...(s.items?.fields ?? []).map((f) => f.id)]),
}, (ctx) => {
  const { report } = ctx;
  const output = ctx.standard.common.outputLanguages;
  for (const { spec, found, stem } of sectionsRequiring(ctx, 'items')) {
    const itemsSpec = spec.items;
    const items = itemsOf(found, itemsSpec);
    const label = itemsSpec.label;
    if (items.length === 0) {
      const aka = alsoKnownAs(label, itemsSpec.aliases ?? { en: [], zh: [] });
      report(stem, fill({
        en: 'section "{title}" has no items: add one "{h} {label} 1: …" sub-heading per item{akaEn}',
        zh: '章节“{title}”没有条目：请为每个条目添加“{h} {labelZh} 1：…”小标题{akaZh}',
      }, { title: found.title, h: '#'.repeat(found.depth + 1), label: label.en, labelZh: label.zh, akaEn: aka.en, akaZh: aka.zh }), found.heading);
      continue;
    }
    const seen = new Set<string>();
    for (const item of items) {
      if (seen.has(item.id)) {
        report(stem, fill({
          en: '"{title}" repeats number {id}: give each item its own number',
          zh: '“{title}”的编号 {id} 重复：每个条目需要唯一编号',
        }, { id: item.id, title: item.title }), item.heading);
      }
      seen.add(item.id);
      if (itemsSpec.command && !hasCommand(item.nodes, output)) {
        report(`${stem}-command`, fill({
          en: '{id} ("{title}") has no executable command: add a fenced code block with a language (```bash … ```); inline code and `text`/`console` blocks do not count',
          zh: '{id}（“{title}”）没有可执行命令：请添加带语言标记的代码块（```bash … ```）；行内代码和 `text`/`console` 代码块不算命令',
        }, { id: item.id, title: item.name || item.title }), item.heading);
      }
      checkFields(ctx, item, itemsSpec.fields, stem, { en: item.id, zh: item.id }, item.heading);
    }
  }
});
