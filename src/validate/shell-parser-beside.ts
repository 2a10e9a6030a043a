/**
 * The client of shell-worker.ts: shell parsing in another thread, for a validation that runs in the command's own
 * thread. The worker holds the event loop only while a parse is outstanding, and any failure of the worker falls
 * back to parsing here: the answer is the same, only later.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { PACKAGE_ROOT } from '../standard/root.js';
import { shellSyntaxError, type ShellSyntaxError, type Variant } from './shell-parser.js';
import type { ShellParseRequest } from './shell-worker.js';

export interface ShellParser {
  parse(text: string, variant: Variant): Promise<ShellSyntaxError | undefined>;
  close(): void;
}

function workerFile(): string {
  const bundled = join(PACKAGE_ROOT, 'dist', 'bin', 'shell-worker.js');
  return existsSync(bundled) ? bundled : join(PACKAGE_ROOT, 'dist', 'src', 'validate', 'shell-worker.js');
}

export async function shellParserBeside(): Promise<ShellParser> {
  const { Worker } = await import('node:worker_threads');
  const waiting = new Map<number, { text: string; variant: Variant; done: (e: ShellSyntaxError | undefined) => void; fail: (err: unknown) => void }>();
  let next = 0;
  let worker: Worker | undefined = new Worker(workerFile());
  worker.unref();
  const fallBack = () => {
    worker = undefined;
    for (const [id, w] of waiting) {
      waiting.delete(id);
      try {
        w.done(shellSyntaxError(w.text, w.variant));
      } catch (err) {
        w.fail(err); // the parser cannot run here either: the rule says so on the document, as in-thread
      }
    }
  };
  worker.on('message', ({ id, error }: { id: number; error: ShellSyntaxError | null }) => {
    const w = waiting.get(id);
    waiting.delete(id);
    if (!waiting.size) worker?.unref();
    w?.done(error ?? undefined);
  });
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  return {
    parse(text, variant) {
      if (!worker) return new Promise((done) => done(shellSyntaxError(text, variant)));
      return new Promise((done, fail) => {
        const id = next++;
        waiting.set(id, { text, variant, done, fail });
        worker!.ref();
        worker!.postMessage({ id, text, variant } satisfies ShellParseRequest);
      });
    },
    close() {
      const w = worker;
      worker = undefined;
      void w?.terminate();
    },
  };
}
