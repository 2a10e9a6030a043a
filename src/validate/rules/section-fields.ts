/**
 * section-fields — a section that the standard describes as labelled fields carries each of them, with a value
 * of the right form.
 *
 * Rule id: `<kind>-<section>-<field>`, e.g. `runbook-impact-downtime`, `rollback-data-recovery-loss-window`.
 *
 * Passes:
 *   ## Impact Assessment
 *   - **Affected services:** checkout, payments
 *   - **Affected users:** all EU customers
 *   - **Expected downtime:** 5 min read-only
 *   - **Risk level:** High
 * Fails (`runbook-impact-risk`): the same without the Risk level line, or with `**Risk level:** fine`.
 */
import type { DocRule } from '../rule.js';
import { findSection } from '../../document/model.js';
import { checkFields } from '../fields.js';

export const sectionFields: DocRule = {
  name: 'section-fields',
  scope: 'document',
  check(ctx) {
    const { model, spec } = ctx;
    if (!spec) return;
    for (const section of spec.sections) {
      if (section.require !== 'fields' || !section.fields) continue;
      const found = findSection(model, section);
      if (!found) continue; // required-sections reports it
      checkFields(ctx, found.nodes, section.fields, `${spec.kind}-${section.id}`,
        { en: `section "${found.title}"`, zh: `章节“${found.title}”` }, found.heading);
    }
  },
};
