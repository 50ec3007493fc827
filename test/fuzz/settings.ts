/**
 * Fuzz run sizes. CI uses the defaults (fixed seed, so every run checks the same documents); a deeper
 * local hunt can raise them: `FUZZ_DOCUMENTS=200000 FUZZ_SEED=7 npm run test:unit`.
 */
function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

export const FUZZ_SEED = positiveInteger('FUZZ_SEED', 20261122);
/** Documents through the in-process language service. */
export const SERVICE_DOCUMENTS = positiveInteger('FUZZ_DOCUMENTS', 10_000);
/** Documents through the running server over stdio (each one is opened or changed, then queried). */
export const SERVER_DOCUMENTS = positiveInteger('FUZZ_SERVER_DOCUMENTS', 2_000);
/** A document still running after this long counts as a hang (an editor would be frozen that long). */
export const HANG_MS = positiveInteger('FUZZ_HANG_MS', 20_000);
/** Node flags for the fuzz child process, e.g. `FUZZ_CHILD_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"`. */
export const CHILD_NODE_ARGS = (process.env.FUZZ_CHILD_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
