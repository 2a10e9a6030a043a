/** Whole-process timing with peers side by side: alternate the commands, report medians and ratios. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Sample {
  ms: number;
  maxRssKb: number;
  code: number | null;
}

const TIME = '/usr/bin/time';

/** Run a command once; wall time from here, peak memory from /usr/bin/time when the machine has it. */
export function runOnce(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Sample {
  const withTime = existsSync(TIME);
  const t0 = process.hrtime.bigint();
  const r = withTime
    ? spawnSync(TIME, ['-f', '__MAXRSS__%M', cmd, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28 })
    : spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /__MAXRSS__(\d+)/.exec(r.stderr ?? '');
  const code = r.status;
  if (r.error) throw r.error;
  return { ms, maxRssKb: m ? Number(m[1]) : 0, code };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Contender {
  name: string;
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Run before each timed run (e.g. clear a cache); not timed. */
  before?: () => void;
}

export interface Result {
  name: string;
  medianMs: number;
  maxRssKb: number;
  codes: (number | null)[];
}

/** Interleave the contenders run by run, so that machine noise falls on all of them alike. */
export function race(contenders: Contender[], runs: number, warmup = 1): Result[] {
  const times = contenders.map(() => [] as number[]);
  const rss = contenders.map(() => 0);
  const codes = contenders.map(() => [] as (number | null)[]);
  for (let r = 0; r < warmup + runs; r++) {
    contenders.forEach((c, i) => {
      c.before?.();
      const s = runOnce(c.cmd, c.args, c.env);
      if (r >= warmup) {
        times[i]!.push(s.ms);
        rss[i] = Math.max(rss[i]!, s.maxRssKb);
        codes[i]!.push(s.code);
      }
    });
  }
  return contenders.map((c, i) => ({ name: c.name, medianMs: median(times[i]!), maxRssKb: rss[i]!, codes: [...new Set(codes[i])] }));
}
