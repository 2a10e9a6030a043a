import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { Verb } from './verb.js';
import { deriveTaskName, NamingError } from '../naming.js';
import { loadVocabulary } from '../generate/vocabulary.js';
import { EXIT, UsageError } from '../errors.js';
import { readStdin } from './io.js';

export const verb: Verb = {
  summary: { en: 'print the task name a description gets', zh: '输出描述对应的任务名' },
  help: {
    en: `Usage: ops-docs name <description...> [--date YYYY-MM-DD] [--stdin] [--json]

Prints [date]-[system]-[operation]-[short-desc], e.g.
  ops-docs name --date 2025-11-10 kubernetes cluster upgrade to v1.28
  → 2025-11-10-k8s-cluster-upgrade-v1.28

  --date   the change date (default: today)
  --stdin  read the description from standard input
  --json   print {"name", "date", "system", "operation", "desc"}`,
    zh: `用法：ops-docs name <描述...> [--date YYYY-MM-DD] [--stdin] [--json]

输出 [日期]-[系统]-[操作类型]-[简要描述]，例如
  ops-docs name --date 2025-11-10 Kubernetes 集群升级到 v1.28
  → 2025-11-10-k8s-cluster-upgrade-v1.28

  --date   变更日期（默认今天）
  --stdin  从标准输入读取描述
  --json   输出 {"name", "date", "system", "operation", "desc"}`,
  },
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { date: { type: 'string' }, stdin: { type: 'boolean' }, json: { type: 'boolean' } },
    });
    const description = values.stdin ? await readStdin() : positionals.join(' ');
    if (!description.trim()) {
      throw new UsageError({ en: 'describe the change, e.g. ops-docs name kubernetes cluster upgrade to v1.28', zh: '请描述变更，例如 ops-docs name Kubernetes 集群升级到 v1.28' });
    }
    try {
      // The standard and the words in force here: ./ops/templates overrides the built-in ones, as for `new`.
      const { loadStandard } = await import('../standard/load.js');
      const { overrideDirOf } = await import('../workspace/paths.js');
      const overrideDir = overrideDirOf(resolve('ops'));
      const parts = deriveTaskName(description, { date: values.date, rule: loadStandard(overrideDir).common.taskName, vocabulary: loadVocabulary(overrideDir) });
      process.stdout.write(values.json ? JSON.stringify(parts) + '\n' : parts.name + '\n');
      return EXIT.ok;
    } catch (err) {
      if (err instanceof NamingError) throw new UsageError(err.text);
      throw err;
    }
  },
};
