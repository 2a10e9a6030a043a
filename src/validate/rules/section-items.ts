/**
 * section-items — a section made of items (runbook steps S1…, Go/No-Go points G1…, rollback steps R1…) has at
 * least one, each under its own sub-heading with a unique id, each with an executable command where the standard
 * asks for one, and each with every field the standard lists for it.
 *
 * Rule ids: `<kind>-<section>` (no items, an item without an id, a duplicate id), `<kind>-<section>-command`,
 * `<kind>-<section>-<field>`, e.g. `runbook-steps-verification`, `runbook-go-no-go-no-go`.
 *
 * Passes:
 *   ### Step S1: Drain node-1
 *   ```bash
 *   kubectl drain node-1 --ignore-daemonsets
 *   ```
 *   - **Verification:** `kubectl get node node-1` shows SchedulingDisabled
 *   - **Expected output:** `node/node-1 drained`
 *   - **On error:** stop; uncordon the node and open the rollback plan
 *   - **Time estimate:** 10 min
 * Fails (`runbook-steps-command`): the same step with the command in plain text instead of a ```bash block.
 */
import type { DocRule } from '../rule.js';
import { fill } from '../rule.js';
import { findSection, hasCommand, itemsOf } from '../../document/model.js';
import { checkFields } from '../fields.js';

export const sectionItems: DocRule = {
  name: 'section-items',
  scope: 'document',
  check(ctx) {
    const { model, spec, report } = ctx;
    if (!spec) return;
    for (const section of spec.sections) {
      if (section.require !== 'items' || !section.items) continue;
      const found = findSection(model, section);
      if (!found) continue;
      const spec_ = section.items;
      const stem = `${spec.kind}-${section.id}`;
      const items = itemsOf(found, spec_.prefix);
      const label = spec_.label;
      if (items.length === 0) {
        report(stem, fill({
          en: 'section "{title}" has no items: add one "{h} {label} {p}1: …" sub-heading per item',
          zh: '章节“{title}”没有条目：请为每个条目添加“{h} {labelZh} {p}1：…”小标题',
        }, { title: found.title, h: '#'.repeat(found.depth + 1), label: label.en, labelZh: label.zh, p: spec_.prefix }), found.heading);
        continue;
      }
      const seen = new Set<string>();
      for (const item of items) {
        if (!item.id) {
          report(stem, fill({
            en: '"{title}" has no id: start the heading with "{label} {p}<n>", e.g. "{label} {p}1: …"',
            zh: '“{title}”没有编号：标题应以“{labelZh} {p}<n>”开头，例如“{labelZh} {p}1：…”',
          }, { title: item.title, label: label.en, labelZh: label.zh, p: spec_.prefix }), item.heading);
          continue;
        }
        if (seen.has(item.id)) {
          report(stem, fill({ en: 'duplicate id {id}: give each item its own id', zh: '编号 {id} 重复：每个条目需要唯一编号' }, { id: item.id }), item.heading);
        }
        seen.add(item.id);
        if (spec_.command && !hasCommand(item.nodes)) {
          report(`${stem}-command`, fill({
            en: '{id} has no executable command: add a fenced code block with a language (```bash … ```)',
            zh: '{id} 没有可执行命令：请添加带语言标记的代码块（```bash … ```）',
          }, { id: item.id }), item.heading);
        }
        checkFields(ctx, item.nodes, spec_.fields, stem, { en: item.id, zh: item.id }, item.heading);
      }
    }
  },
};
