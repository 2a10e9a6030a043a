/** Small I/O helpers shared by verbs. */
import { UsageError } from '../errors.js';

/** Standard input as text: how callers pass untrusted descriptions without putting them on a shell line. */
export async function readStdin(limit = 64 * 1024): Promise<string> {
  if (process.stdin.isTTY) {
    throw new UsageError({ en: '--stdin given but standard input is a terminal: pipe the description in', zh: '指定了 --stdin，但标准输入是终端：请通过管道传入描述' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new UsageError({ en: `description on standard input is over ${limit / 1024} KB`, zh: `标准输入中的描述超过 ${limit / 1024} KB` });
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}
