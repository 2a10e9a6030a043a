/**
 * review-backup — a backup before destruction. From the vocabularies in review.yaml (per system; a team extends
 * them in its copy): a destructive or irreversible command (`DROP`, `rm -rf`, `kubeadm upgrade apply`,
 * `pg_upgrade` without `--check`, `FLUSHALL`, `terraform apply`, a DNS `UPSERT` …) with no backup command before
 * it (in an earlier step, or earlier in the same one); a backup that no command or verification checks (`etcdutl snapshot status`, `pg_verifybackup`,
 * `gzip -t`, a checksum, a listing); and a point of no return that steps separate from the backup with no
 * decision point between them.
 * Vocabulary heuristics: warnings.
 *
 * Rule ids: `review-backup-before-destruction`, `review-backup-verified`, `review-backup-gate`.
 *
 * Passes:
 *   ## Detailed Steps
 *   ### Step S1: Back up etcd
 *   ```bash
 *   ETCDCTL_API=3 etcdctl snapshot save /var/backups/etcd.db
 *   ```
 *   - **Verification:** `etcdutl snapshot status /var/backups/etcd.db` shows a key count
 *   - **Expected output:** `Snapshot saved`
 *   - **On error:** stop
 *   - **Time estimate:** 5 min
 *   ### Step S2: Upgrade the control plane
 *   ```bash
 *   kubeadm upgrade apply v1.28.4 --yes
 *   ```
 *   - **Verification:** `kubectl version` reports v1.28.4
 *   - **Expected output:** `SUCCESS!`
 *   - **On error:** follow the rollback plan
 *   - **Time estimate:** 20 min
 * Fails (`review-backup-before-destruction`):
 *   ## Detailed Steps
 *   ### Step S1: Upgrade the control plane
 *   ```bash
 *   kubeadm upgrade apply v1.28.4 --yes
 *   ```
 *   - **Verification:** `kubectl version` reports v1.28.4
 *   - **Expected output:** `SUCCESS!`
 *   - **On error:** follow the rollback plan
 *   - **Time estimate:** 20 min
 * Passes:
 *   ## 详细操作步骤
 *   ### 步骤 S1：备份 etcd
 *   ```bash
 *   ETCDCTL_API=3 etcdctl snapshot save /var/backups/etcd.db
 *   ```
 *   - **验证检查点：** `etcdutl snapshot status /var/backups/etcd.db` 显示键数量
 *   - **预期输出：** `Snapshot saved`
 *   - **错误处理：** 停止
 *   - **预计耗时：** 5 分钟
 * Fails (`review-backup-verified`):
 *   ## 详细操作步骤
 *   ### 步骤 S1：备份 etcd
 *   ```bash
 *   ETCDCTL_API=3 etcdctl snapshot save /var/backups/etcd.db
 *   ```
 *   - **验证检查点：** 命令返回 0
 *   - **预期输出：** `Snapshot saved`
 *   - **错误处理：** 停止
 *   - **预计耗时：** 5 分钟
 */
import { toText } from '../../document/model.js';
import { defineRule, fill } from '../rule.js';
import { anyOf, itemsOfSection, reviewIds, reviewSeverity, stepsOf, vocabulary } from '../review.js';
import { guardedStep } from './review-gates.js';

export const reviewBackup = defineRule({
  origin: 'ops-docs:review-backup',
  ids: (standard) => reviewIds(standard, 'review-backup-before-destruction', 'review-backup-verified', 'review-backup-gate'),
}, ({ model, standard, strict, report }) => {
  if (model.kind !== 'runbook') return;
  const { review } = standard;
  const destructive = anyOf(vocabulary(review.destructive));
  const backup = anyOf(vocabulary(review.backup));
  const verify = anyOf(review.verify);
  const steps = stepsOf(model, standard);
  let firstBackup: number | undefined;
  let verified = false;
  let firstDestruction: { step: number; line: string } | undefined;
  for (const step of steps) {
    const verifiedHere = step.lines.some((l) => verify.test(l)) || verify.test(toText(step.item.nodes.filter((n) => n.type !== 'code')));
    for (const line of step.lines) {
      if (backup.test(line)) firstBackup ??= step.index;
      else if (destructive.test(line) && !firstDestruction) {
        firstDestruction = { step: step.index, line: line.trim() };
        // A backup on an earlier line of the same step counts: `list-resource-record-sets > saved.json` then UPSERT.
        if (firstBackup === undefined) {
          report('review-backup-before-destruction', fill({
            en: '{id} runs `{cmd}`, which cannot be undone, and no earlier step takes a backup: add a backup step before it',
            zh: '{id} 执行了不可撤销的 `{cmd}`，但之前没有任何步骤做备份：请在它之前增加备份步骤',
          }, { id: step.item.id, cmd: line.trim().slice(0, 80) }), step.item.heading, reviewSeverity(standard, 'review-backup-before-destruction', strict));
        }
      }
    }
    if (firstBackup !== undefined && verifiedHere) verified = true;
  }
  if (firstBackup !== undefined && !verified) {
    const step = steps[firstBackup - 1]!;
    report('review-backup-verified', fill({
      en: 'the backup in {id} is never verified: check it (a status, checksum or listing of the backup) before relying on it',
      zh: '{id} 中的备份从未校验：在依赖它之前请先校验（查看状态、校验和或列出备份内容）',
    }, { id: step.item.id }), step.item.heading, reviewSeverity(standard, 'review-backup-verified', strict));
  }
  // A backup in the step just before the point of no return leaves nothing between them to decide on; steps in
  // between (writes still open, a plan still to check) need a decision point.
  if (firstBackup !== undefined && firstDestruction && firstDestruction.step > firstBackup + 1) {
    const gates = itemsOfSection(model, standard, 'go-no-go').map((g) => guardedStep(g.header ? g.title : toText(g.heading), standard));
    // Only decision points that say where they stand can be judged; with none placed, the rule stays quiet.
    if (gates.some((g) => g.guards !== undefined) && !gates.some((g) => g.guards !== undefined && g.guards > firstBackup! && g.guards <= firstDestruction!.step)) {
      const step = steps[firstDestruction.step - 1]!;
      report('review-backup-gate', fill({
        en: 'no decision point stands between the backup ({b}) and {id}, the point of no return: add a Go/No-Go before {id}',
        zh: '备份（{b}）与不可逆的 {id} 之间没有决策点：请在 {id} 之前增加 Go/No-Go',
      }, { b: steps[firstBackup - 1]!.item.id, id: step.item.id }), step.item.heading, reviewSeverity(standard, 'review-backup-gate', strict));
    }
  }
});
