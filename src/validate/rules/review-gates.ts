/**
 * review-gates — a No-Go leads to the rollback, and a decision point stands before the step it guards. Every
 * No-Go action names the rollback plan or an `R<n>` step. A decision point that places itself (`after S2`,
 * `before S3`, `步骤 2 之后`, `第三步之前`) guards the next step; its Go criteria cannot rest on a step that only
 * runs after the one it guards (`backup from S4 verified` at a point before S3), and `after S<m>` with `before S<n>` needs m < n.
 * A No-Go before anything changed may say there is nothing to roll back (review.yaml's nothingToRollBack).
 * Objective: errors under --strict.
 *
 * Rule ids: `review-no-go-rollback`, `review-gate-order`.
 *
 * Passes:
 *   ## Go/No-Go Decision Points
 *   ### G1: Before upgrading worker nodes (after S2)
 *   - **Go criteria:** snapshot from S1 verified, control plane on v1.28.4
 *   - **No-Go action:** stop and execute the rollback plan from step R1
 *   - **Decision maker:** change owner
 * Fails (`review-gate-order`):
 *   ## Go/No-Go Decision Points
 *   ### G1: Before the backup (before S1)
 *   - **Go criteria:** snapshot from S2 verified, control plane on v1.28.4
 *   - **No-Go action:** stop and execute the rollback plan from step R1
 *   - **Decision maker:** change owner
 * Passes:
 *   ## 决策点（Go/No-Go）
 *   ### G1：升级工作节点之前（步骤 2 之后）
 *   - **放行条件：** 步骤 1 的快照已校验，控制平面为 v1.28.4
 *   - **不放行动作：** 停止变更，按回滚方案从 R1 开始执行
 *   - **决策人：** 变更负责人
 * Fails (`review-gate-order`):
 *   ## 决策点（Go/No-Go）
 *   ### G1：升级工作节点之前（步骤 3 之后）
 *   - **放行条件：** 步骤 5 的检查已通过，控制平面为 v1.28.4
 *   - **不放行动作：** 停止变更，按回滚方案从 R1 开始执行
 *   - **决策人：** 变更负责人
 */
import { itemField, labelNames, toText, type Item } from '../../document/model.js';
import type { Standard } from '../../standard/types.js';
import { defineRule, fill } from '../rule.js';
import { valueRegex } from '../fields.js';
import { anyOf, escapeRe, itemsOfSection, reviewIds, reviewSeverity, stepRefs } from '../review.js';

const STEP_REF = '(?:S(\\d+)\\b|step\\s+(\\d+)\\b|步骤\\s*([0-9〇零一二两三四五六七八九十]+)|第\\s*([0-9〇零一二两三四五六七八九十]+)\\s*步)';

/**
 * `after S3`, `before step 2`, `步骤 2 之后`: a step named with a word that places something after it, before it, or
 * either; built once per standard.
 */
const positionWords = new WeakMap<Standard, { after: RegExp; before: RegExp; either: RegExp }>();
function placing(standard: Standard): { after: RegExp; before: RegExp; either: RegExp } {
  let res = positionWords.get(standard);
  if (!res) {
    const near = (ws: string[]) => {
      const words = ws.map(escapeRe).join('|');
      return new RegExp(`(?:(?:${words})\\s*${STEP_REF})|(?:${STEP_REF}\\s*(?:${words}))`, 'giu');
    };
    const { before, after } = standard.review.gatePosition;
    positionWords.set(standard, (res = { after: near(after), before: near(before), either: near([...before, ...after]) }));
  }
  return res;
}

/** Where a decision point stands: the step it guards (the one after it), from `after S<m>` / `before S<n>`. */
export function guardedStep(text: string, standard: Standard): { guards?: number; after?: number; before?: number } {
  const t = text.normalize('NFKC');
  const out: { guards?: number; after?: number; before?: number } = {};
  const res = placing(standard);
  for (const kind of ['after', 'before'] as const) {
    for (const m of t.matchAll(res[kind])) {
      const n = stepRefs(m[0], 'S')[0];
      if (n !== undefined) {
        out[kind] = n;
        break;
      }
    }
  }
  if (out.after !== undefined) out.guards = out.after + 1;
  else if (out.before !== undefined) out.guards = out.before;
  return out;
}

export const reviewGates = defineRule({
  origin: 'ops-docs:review-gates',
  ids: (standard) => reviewIds(standard, 'review-no-go-rollback', 'review-gate-order'),
}, ({ model, spec, standard, strict, report }) => {
  if (model.kind !== 'runbook') return;
  const items = spec?.sections.find((s) => s.id === 'go-no-go')?.items;
  if (!items) return;
  const field = (id: string) => items.fields.find((f) => f.id === id);
  const noGoSpec = field('no-go');
  const criteriaSpec = field('criteria');
  const rollback = anyOf(standard.review.rollbackReference);
  for (const gate of itemsOfSection(model, standard, 'go-no-go') as Item[]) {
    const noGo = noGoSpec && itemField(gate, labelNames(noGoSpec));
    // Without any rollback word the standard's own match on the field reports it (section-items), once.
    const own = noGoSpec?.match ? valueRegex(standard, noGoSpec.match.pattern) : undefined;
    const nothing = standard.review.nothingToRollBack ? anyOf(standard.review.nothingToRollBack) : undefined;
    if (noGo && noGo.value.trim() && (!own || own.test(noGo.value)) && !rollback.test(noGo.value) && !nothing?.test(noGo.value)) {
      report('review-no-go-rollback', fill({
        en: 'the No-Go action of {id} does not lead to the rollback: name the rollback plan or the R step to start from',
        zh: '{id} 的不放行动作没有指向回滚：请写明回滚方案或从哪个 R 步骤开始',
      }, { id: gate.id }), noGo.node, reviewSeverity(standard, 'review-no-go-rollback', strict));
    }
    const where = gate.header ? gate.title : toText(gate.heading);
    const pos = guardedStep(where, standard);
    if (pos.after !== undefined && pos.before !== undefined && pos.after >= pos.before) {
      report('review-gate-order', fill({
        en: '{id} is placed after S{a} and before S{b}, which cannot both hold: say which step it guards',
        zh: '{id} 写的是在 S{a} 之后、S{b} 之前，二者矛盾：请写明它守护的是哪一步',
      }, { id: gate.id, a: pos.after, b: pos.before }), gate.heading, reviewSeverity(standard, 'review-gate-order', strict));
      continue;
    }
    if (pos.guards === undefined || !criteriaSpec) continue;
    const criteria = itemField(gate, labelNames(criteriaSpec));
    // A step named to place something in time (`after S3 the only way back is …`) is not one the criteria rest on.
    const resting = criteria ? criteria.value.normalize('NFKC').replace(placing(standard).either, ' ') : '';
    // The guarded step itself may be named (`accepts what S4 makes irreversible`); a later one cannot have run.
    const late = stepRefs(resting, 'S').filter((n) => n > pos.guards!);
    if (late.length) {
      report('review-gate-order', fill({
        en: '{id} stands before S{g}, but its Go criteria rest on S{late}, which only runs after it: move the decision point after S{late} or change its criteria',
        zh: '{id} 位于 S{g} 之前，但其放行条件依赖之后才执行的 S{late}：请把决策点移到 S{late} 之后，或修改放行条件',
      }, { id: gate.id, g: pos.guards, late: late[0]! }), criteria!.node, reviewSeverity(standard, 'review-gate-order', strict));
    }
  }
});
