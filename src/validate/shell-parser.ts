/**
 * A synchronous shell parser over sh-syntax's WebAssembly build of mvdan/sh (the parser behind shfmt). sh-syntax's
 * own entry is async and compiles a new instance per call; rules are synchronous and a 2,000-document run parses
 * thousands of blocks, so the module is compiled once (on first use) and an instance serves a batch of parses.
 * The Go runtime's heap in one instance is not reclaimed between calls, so an instance is replaced every
 * PARSES_PER_INSTANCE parses (and after any trap). Reads the package's own main.wasm: no network, and the path is
 * resolved from node_modules, so it works from the esbuild bundle in dist/bin as from dist/src.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);

/** The part of the WebAssembly API used here (the project's lib settings leave out the DOM types that declare it). */
declare namespace WebAssembly {
  interface Memory { buffer: ArrayBuffer }
  type Imports = Record<string, Record<string, unknown>>;
  class Module { constructor(bytes: Uint8Array) }
  class Instance { constructor(module: Module, imports: Imports); exports: Record<string, unknown> }
}

interface Exports {
  memory: WebAssembly.Memory;
  wasmAlloc(size: number): number;
  wasmFree(ptr: number): void;
  process(...args: (number | boolean)[]): number;
}

export interface ShellSyntaxError {
  line: number;
  column: number;
  message: string;
}

const PARSES_PER_INSTANCE = 200;
let compiled: WebAssembly.Module | undefined;
let current: { exports: Exports; used: number } | undefined;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function instance(): { exports: Exports; used: number } {
  if (current && current.used < PARSES_PER_INSTANCE) return current;
  if (!compiled) {
    require('sh-syntax/vendors/wasm_exec.cjs');
    compiled = new WebAssembly.Module(readFileSync(require.resolve('sh-syntax/main.wasm')));
  }
  const Go = (globalThis as unknown as { Go: new () => { importObject: WebAssembly.Imports; run(i: WebAssembly.Instance): Promise<void> } }).Go;
  const go = new Go();
  const inst = new WebAssembly.Instance(compiled, go.importObject);
  void go.run(inst);
  current = { exports: inst.exports as unknown as Exports, used: 0 };
  return current;
}

/** Language variants of mvdan/sh (bit flags since v3.13: 1 bash, 2 POSIX sh). */
export type Variant = 'bash' | 'posix';

function parseOnce(text: string, variant: Variant): ShellSyntaxError | undefined {
  const inst = instance();
  inst.used++;
  const { memory, wasmAlloc, wasmFree, process } = inst.exports;
  const bytes = encoder.encode(text);
  const ptr = wasmAlloc(bytes.byteLength);
  new Uint8Array(memory.buffer).set(bytes, ptr);
  // process(filepath, text, print, keepComments, variant, stopAt, recoverErrors, printer options…): see sh-syntax's processor.
  const result = process(0, 0, 0, ptr, bytes.byteLength, bytes.byteLength, false, true, variant === 'bash' ? 1 : 2, 0, 0, 0, 0,
    false, 2, true, true, true, false, false, false, false);
  wasmFree(ptr);
  const view = new Uint8Array(memory.buffer).subarray(result);
  const json = JSON.parse(decoder.decode(view.subarray(0, view.indexOf(0)))) as {
    parseError?: { Pos: { Line: number; Col: number }; Text: string } | null; message?: string;
  };
  if (json.parseError) return { line: json.parseError.Pos.Line, column: json.parseError.Pos.Col, message: json.parseError.Text };
  if (json.message) return { line: 1, column: 1, message: json.message };
  return undefined;
}

/** Parse a shell script; the syntax error, or undefined when it parses. */
export function shellSyntaxError(text: string, variant: Variant = 'bash'): ShellSyntaxError | undefined {
  try {
    return parseOnce(text, variant);
  } catch {
    current = undefined; // a trapped instance is not reused
    return parseOnce(text, variant);
  }
}
