/**
 * A time limit that a test may shorten through the environment, so that a test of a run that never finishes need
 * not wait out the real limit: the variable's milliseconds (at most 10 minutes), or the real limit when it is unset
 * or not a positive number.
 */
export function msFromEnv(name: string, fallback: number): number {
  const v = Number(process.env[name] || NaN);
  return Number.isFinite(v) && v > 0 ? Math.min(v, 600_000) : fallback;
}
