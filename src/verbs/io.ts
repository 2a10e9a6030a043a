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
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new UsageError({ en: 'standard input is not UTF-8 text: pass the description as plain text', zh: '标准输入不是 UTF-8 文本：请以纯文本传入描述' });
  }
  // Control characters (other than tab and line breaks) mean binary data, not a description of a change.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) {
    throw new UsageError({ en: 'standard input contains control characters: pass the description as plain text', zh: '标准输入包含控制字符：请以纯文本传入描述' });
  }
  return text;
}
