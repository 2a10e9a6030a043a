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
 * Fails (`rollback-triggers-measurable`):
 *   ## Rollback Triggers
 *   - Things look bad
 */
import { listsOf, toText } from '../../document/model.js';
import { matchHint, valueRegex } from '../fields.js';
import { defineRule, fill, idsFor, sectionsRequiring } from '../rule.js';

export const sectionList = defineRule({
  origin: 'ops-docs:section-list',
  ids: (standard) => idsFor(standard, 'list', (s) => ['', ...(s.list?.match ? [s.list.match.name ?? s.list.match.pattern] : [])]),
}, (ctx) => {
  const { standard, report } = ctx;
  for (const { spec, found, stem } of sectionsRequiring(ctx, 'list')) {
    const items = listsOf(found.nodes).flatMap((l) => l.children);
    if (items.length < spec.list.minItems) {
      report(stem, fill({
        en: 'section "{title}" needs a list of at least {min} item(s)',
        zh: '章节“{title}”需要至少 {min} 项的列表',
      }, { title: found.title, min: spec.list.minItems }), found.heading);
      continue;
    }
    const m = spec.list.match;
    if (!m) continue;
    const re = valueRegex(standard, m.pattern);
    const hint = matchHint(standard, m.name ?? m.pattern);
    for (const item of items) {
      const text = toText(item);
      if (re.test(text)) continue;
      report(`${stem}-${m.name ?? m.pattern}`, fill({
        en: '"{text}" is not {hintEn}: say what is measured and the value that triggers it',
        zh: '“{text}”不是{hintZh}：请写明度量对象及触发值',
      }, { text: text.slice(0, 60), hintEn: hint.en, hintZh: hint.zh }), item);
    }
  }
});
