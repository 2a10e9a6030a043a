/**
 * frontmatter-schema — every document opens with YAML frontmatter that names its task, kind, language, system,
 * operation, status and creation date, each in the form the schema in templates/standard/common.yaml allows.
 *
 * Rule ids: `frontmatter` (no frontmatter, or not YAML), `frontmatter-<field>` (a field missing or malformed).
 *
 * Passes:
 *   ---
 *   task: 2025-11-10-k8s-cluster-upgrade-v1.28
 *   kind: runbook
 *   language: en
 *   system: k8s
 *   operation: upgrade
 *   status: planned
 *   created: 2025-11-10
 *   ---
 * Fails (`frontmatter-status`):
 *   ---
 *   task: 2025-11-10-k8s-cluster-upgrade-v1.28
 *   kind: runbook
 *   language: en
 *   system: k8s
 *   operation: upgrade
 *   status: maybe
 *   created: 2025-11-10
 *   ---
 */
import { defineRule, fill } from '../rule.js';
import { taskNameProblem } from '../../naming.js';

const SLUG = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function asText(v: unknown): string | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString().slice(0, 10);
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return undefined;
}

export const frontmatterSchema = defineRule({
  origin: 'ops-docs:frontmatter-schema',
  ids: (standard) => ['frontmatter', ...Object.keys(standard.common.frontmatter.fields).map((f) => `frontmatter-${f}`)],
}, ({ model, standard, report }) => {
  {
    const fm = model.frontmatter;
    if (!fm.present) {
      report('frontmatter', {
        en: 'missing YAML frontmatter: start the file with a --- block giving task, kind, language, system, operation, status and created',
        zh: '缺少 YAML frontmatter：请在文件开头添加 --- 块，写明 task、kind、language、system、operation、status 和 created',
      });
      return;
    }
    if (!fm.data) {
      report('frontmatter', fill({
        en: 'frontmatter is not valid YAML ({error}): fix the --- block at the top of the file',
        zh: 'frontmatter 不是合法的 YAML（{error}）：请修正文件开头的 --- 块',
      }, { error: fm.error ?? '' }), fm.node);
      return;
    }
    const schema = standard.common.frontmatter;
    for (const field of schema.required) {
      if (fm.data[field] === undefined || fm.data[field] === null || fm.data[field] === '') {
        report(`frontmatter-${field}`, fill({
          en: 'frontmatter lacks "{field}": add `{field}: …` to the --- block',
          zh: 'frontmatter 缺少 “{field}”：请在 --- 块中添加 `{field}: …`',
        }, { field }), fm.node);
      }
    }
    for (const [field, def] of Object.entries(schema.fields)) {
      const raw = fm.data[field];
      if (raw === undefined || raw === null || raw === '') continue;
      const v = asText(raw);
      let ok: boolean;
      let expected: string;
      switch (def.type) {
        case 'enum':
          ok = v !== undefined && (def.values ?? []).includes(v);
          expected = (def.values ?? []).join(' | ');
          break;
        case 'slug':
          ok = v !== undefined && SLUG.test(v);
          expected = 'lower-case ASCII words joined by hyphens';
          break;
        case 'date':
          ok = v !== undefined && DATE.test(v);
          expected = 'YYYY-MM-DD';
          break;
        case 'datetime':
          ok = raw instanceof Date || (v !== undefined && DATETIME.test(v));
          expected = 'YYYY-MM-DDTHH:MM[:SS]±HH:MM';
          break;
        case 'task-name':
          ok = v !== undefined && !taskNameProblem(v, standard.common.taskName);
          expected = '[date]-[system]-[operation]-[short-desc]';
          break;
        case 'string-list':
          ok = typeof raw === 'string' || (Array.isArray(raw) && raw.every((x) => typeof x === 'string'));
          expected = 'a list of names';
          break;
        default:
          ok = typeof raw === 'string' || typeof raw === 'number';
          expected = 'text';
      }
      if (!ok) {
        report(`frontmatter-${field}`, fill({
          en: 'frontmatter "{field}" is "{value}"; expected {expected}',
          zh: 'frontmatter “{field}” 的值为 “{value}”；应为 {expected}',
        }, { field, value: String(v ?? JSON.stringify(raw)).slice(0, 80), expected }), fm.node);
      }
    }
  }
});
