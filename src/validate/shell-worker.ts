/**
 * A thread that parses shell for a validation running in the command's own thread: the WebAssembly parser's start
 * (compiling the module, starting the Go runtime, ~40–60 ms) then happens beside the markdown parsing instead of
 * before it. Answers each request with the syntax error, or null when the script parses.
 */
import { parentPort } from 'node:worker_threads';
import { shellSyntaxError, type Variant } from './shell-parser.js';

export interface ShellParseRequest { id: number; text: string; variant: Variant }

parentPort!.on('message', ({ id, text, variant }: ShellParseRequest) => {
  parentPort!.postMessage({ id, error: shellSyntaxError(text, variant) ?? null });
});
