/**
 * section-fields — a section that the standard describes as labelled fields carries each of them, with a value
 * of the right form. A field is a bold label (`**Risk level:** High`), a list item (`- Risk: high`, bold or not,
 * `:` or ` — `), a row of a two-column table, or a sub-heading; a total may also be a sentence or a table row.
 *
 * Rule id: `<kind>-<section>-<field>`, e.g. `runbook-impact-downtime`, `rollback-data-recovery-loss-window`.
 *
 * Passes:
 *   ## Impact Assessment
 *   - **Affected services:** checkout, payments
 *   - **Affected users:** all EU customers
 *   - **Expected downtime:** 5 min read-only
 *   - **Risk level:** High
 * Fails (`runbook-impact-risk`):
 *   ## Impact Assessment
 *   - **Affected services:** checkout, payments
 *   - **Affected users:** all EU customers
 *   - **Expected downtime:** 5 min read-only
 *   - **Risk level:** fine
 */
import { checkFields } from '../fields.js';
import { defineRule, idsFor, sectionsRequiring } from '../rule.js';

export const sectionFields = defineRule({
  origin: 'ops-docs:section-fields',
  ids: (standard) => idsFor(standard, 'fields', (s) => (s.fields ?? []).map((f) => f.id)),
}, (ctx) => {
  for (const { spec, found, stem } of sectionsRequiring(ctx, 'fields')) {
    checkFields(ctx, found.nodes, spec.fields, stem, { en: `section "${found.title}"`, zh: `章节“${found.title}”` }, found.heading);
  }
});
