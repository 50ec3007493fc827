/**
 * Property tests run with one fixed seed so CI is deterministic and a failure reproduces exactly.
 * Explore other inputs locally with FC_SEED=<n> (or FC_SEED=random).
 */
import * as fc from 'fast-check';

const requested = process.env.FC_SEED;
if (requested !== 'random') {
  fc.configureGlobal({ seed: requested === undefined ? 20261122 : Number(requested) });
}
