import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that wait longest on other programs (npm installs, the real Claude Code client, subprocess runs of the
 * CLI), started first so they overlap the rest instead of running last on one worker. On a fresh clone vitest has no
 * durations to go by and would start the largest files first, which put pre-commit's ~60 s of npm at the very end.
 */
const SLOWEST_FIRST = ['test/pre-commit.test.ts', 'test/e2e/claude-code.test.ts', 'test/action.test.ts', 'test/typecheck.test.ts', 'test/new.test.ts'];

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = SLOWEST_FIRST.findIndex((p) => f.moduleId.endsWith(`/${p}`));
      return i < 0 ? SLOWEST_FIRST.length : i;
    };
    const sorted = await super.sort(files);
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/cache-dir.ts'],
    setupFiles: ['test/setup/count-assertions.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One module graph per worker instead of one per file: the files share no state through modules (each works in
    // its own temporary folders), and re-importing the validator, remark and the SDK for each of 45 files cost about
    // 90 s of CPU per run.
    isolate: false,
    // Three on two cores: much of the suite waits on processes (npm, Claude Code, the CLI, the SDK's retry schedule),
    // and a third worker fills those waits.
    maxWorkers: 3,
    sequence: { sequencer: SlowestFirst },
  },
});
