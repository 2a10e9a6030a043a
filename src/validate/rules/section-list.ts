/**
 * section-list — a section the standard describes as a list (rollback triggers, post-rollback checks) has one,
 * with enough items, and every item of the form the standard asks for.
 *
 * Rule ids: `<kind>-<section>` (no list, too few items), `<kind>-<section>-<pattern>` (an item of the wrong
 * form), e.g. `rollback-triggers-measurable`.
 *
 * Passes:
 *   ## Rollback Triggers
 *   - Error rate above 2% for 5 minutes
 *   - Any node NotReady after the upgrade
 * Fails (`rollback-triggers-measurable`): `- Things look bad`.
 */
import type { DocRule } from '../rule.js';
import { fill } from '../rule.js';
import { findSection, listsOf, toText } from '../model.js';
import { matchHint, valueRegex } from '../fields.js';

export const sectionList: DocRule = {
  name: 'section-list',
  scope: 'document',
  check({ model, spec, standard, report }) {
    if (!spec) return;
    for (const section of spec.sections) {
      if (section.require !== 'list' || !section.list) continue;
      const found = findSection(model, section);
      if (!found) continue;
      const stem = `${spec.kind}-${section.id}`;
      const items = listsOf(found.nodes).flatMap((l) => l.children);
      if (items.length < section.list.minItems) {
        report(stem, fill({
          en: 'section "{title}" needs a list of at least {min} item(s)',
          zh: '章节“{title}”需要至少 {min} 项的列表',
        }, { title: found.title, min: section.list.minItems }), found.heading);
        continue;
      }
      const m = section.list.match;
      if (!m) continue;
      const re = valueRegex(standard, m.pattern);
      const name = m.name ?? m.pattern;
      const hint = matchHint(standard, name);
      for (const item of items) {
        const text = toText(item);
        if (!re.test(text)) {
          report(`${stem}-${name}`, fill({
            en: '"{text}" is not {hintEn}: say what is measured and the value that triggers it',
            zh: '“{text}”不是{hintZh}：请写明度量对象及触发值',
          }, { text: text.slice(0, 60), hintEn: hint.en, hintZh: hint.zh }), item);
        }
      }
    }
  },
};
