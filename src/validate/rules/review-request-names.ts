/**
 * review-request-names — the request's own names are used. The frontmatter's `request:` keeps the description as
 * the user gave it; every name in it (a host, cluster, database, service, domain or version: `prod-eu`,
 * `orders-db`, `v1.29`, `api.example.com`) appears in the runbook's commands, or the runbook says it replaced it
 * in its assumed-values note (a sentence with "assumed", "replaced", "假设", "代替" … that names it). A plan that
 * quietly swaps `orders-db` for `app` runs against the wrong database. A heuristic: a warning.
 *
 * Rule id: `review-request-names`.
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
 *   request: upgrade node-1 to v1.28
 *   ---
 * Fails (`review-request-names`):
 *   ---
 *   task: 2025-11-10-k8s-cluster-upgrade-v1.28
 *   kind: runbook
 *   language: en
 *   system: k8s
 *   operation: upgrade
 *   status: planned
 *   created: 2025-11-10
 *   request: upgrade prod-eu-7 to v1.28
 *   ---
 * Passes:
 *   ---
 *   task: 2025-11-03-postgres-upgrade-v12-to-v15
 *   kind: runbook
 *   language: zh
 *   system: postgres
 *   operation: upgrade
 *   status: planned
 *   created: 2025-11-03
 *   request: 将 orders-db 从 PostgreSQL 12 升级到 15
 *   ---
 * Fails (`review-request-names`):
 *   ---
 *   task: 2025-11-03-postgres-upgrade-v12-to-v15
 *   kind: runbook
 *   language: zh
 *   system: postgres
 *   operation: upgrade
 *   status: planned
 *   created: 2025-11-03
 *   request: 将 billing-db 从 PostgreSQL 12 升级到 15
 *   ---
 */
import { descendants, toText } from '../../document/model.js';
import { defineRule, fill } from '../rule.js';
import { anyOf, codeBlocks, requestNames, reviewIds, reviewSeverity, usedIn } from '../review.js';

/** The sentences of the document's prose that note assumed or replaced values. */
function assumedNotes(nodes: Parameters<typeof descendants>[0], re: RegExp): string[] {
  const out: string[] = [];
  for (const n of descendants(nodes)) {
    if (n.type !== 'paragraph' && n.type !== 'listItem' && n.type !== 'tableRow') continue;
    for (const s of toText(n).split(/(?<=[.;!?])\s+|(?<=[。；！？])/u)) if (re.test(s)) out.push(s.toLowerCase());
  }
  return out;
}

export const reviewRequestNames = defineRule({
  origin: 'ops-docs:review-request-names',
  ids: (standard) => reviewIds(standard, 'review-request-names'),
}, ({ model, standard, strict, report }) => {
  if (model.kind !== 'runbook') return;
  const request = model.frontmatter.data?.request;
  if (typeof request !== 'string' || !request.trim()) return;
  const names = requestNames(request, standard.review);
  if (!names.length) return;
  const commands = codeBlocks(model.tree.children, standard).map((c) => c.value).join('\n');
  const missing = names.filter((n) => !usedIn(commands, n));
  if (!missing.length) return;
  const notes = assumedNotes(model.tree.children, anyOf(standard.review.assumedNote));
  const unexplained = missing.filter((n) => !notes.some((s) => s.includes(n.toLowerCase())));
  if (!unexplained.length) return;
  report('review-request-names', fill({
    en: 'the request names {names}, but no command uses it: use the name in the commands, or say in the assumed-values note what replaced it',
    zh: '变更请求中写了 {names}，但没有任何命令使用它：请在命令中使用该名称，或在假设值说明中写明用什么代替了它',
  }, { names: unexplained.map((n) => `\`${n}\``).join(', ') }), model.frontmatter.node, reviewSeverity(standard, 'review-request-names', strict));
});
