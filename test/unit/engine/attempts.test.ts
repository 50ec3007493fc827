import * as assert from 'node:assert/strict';

import { runAttempts, type AttemptOutcome, type RetryPolicy } from '../../../server/src/engine/run/attempts';
import { sleep } from '../../../server/src/engine/run/timing';

/** One task-file second is 10 ms here. */
const timing = { msPerSecond: 10 };
const policy = (overrides: Partial<RetryPolicy>): RetryPolicy => ({
  timeout: 600,
  retries: 0,
  retryDelay: 5,
  repeat: 0,
  retryOnErrors: [],
  ...overrides,
});

describe('retries, repeat and the step deadline (spec §5.4)', () => {
  it('retries a failed attempt up to `retries` times, waiting retryDelay between attempts', async () => {
    const times: number[] = [];
    const start = Date.now();
    const outcomes = [false, false, true];
    const result = await runAttempts(policy({ retries: 3, retryDelay: 3 }), {
      signal: new AbortController().signal,
      timing,
      attempt: () => {
        times.push(Date.now() - start);
        const ok = outcomes.shift()!;
        return Promise.resolve(ok ? { ok, exitCode: 0 } : { ok, exitCode: 1, error: 'exit status 1' });
      },
    });
    assert.deepEqual(result, { ok: true, timedOut: false, cancelled: false, exitCode: 0, errors: [], attempts: 3 });
    assert.ok(times[1] - times[0] >= 29 && times[2] - times[1] >= 29, `gaps ${JSON.stringify(times)}`);
  });

  it('repeat runs every repetition even after a failure and joins the errors', async () => {
    let calls = 0;
    const result = await runAttempts(policy({ repeat: 2, retryDelay: 0 }), {
      signal: new AbortController().signal,
      timing,
      attempt: (): Promise<AttemptOutcome> => {
        calls++;
        return Promise.resolve(
          calls === 2 ? { ok: true, exitCode: 0 } : { ok: false, exitCode: calls, error: `exit status ${calls}` },
        );
      },
    });
    assert.deepEqual(result, {
      ok: false,
      timedOut: false,
      cancelled: false,
      exitCode: 3,
      errors: ['exit status 1', 'exit status 3'],
      attempts: 3,
    });
  });

  const retryOnErrors: [string, string[], number][] = [
    ['retries when the output contains a listed string (split across chunks)', ['TEMPORARY failure'], 2],
    ['does not retry when no listed string appears', ['permanent'], 1],
  ];
  for (const [name, needles, attempts] of retryOnErrors) {
    it(name, async () => {
      const result = await runAttempts(policy({ retries: 1, retryDelay: 0, retryOnErrors: needles }), {
        signal: new AbortController().signal,
        timing,
        attempt: (_signal, watcher) => {
          watcher.write('a TEMPOR');
          watcher.write('ARY failure happened');
          return Promise.resolve({ ok: false, exitCode: 1, error: 'exit status 1' });
        },
      });
      assert.equal(result.attempts, attempts);
    });
  }

  it('one deadline covers all attempts and the delays between them', async () => {
    const start = Date.now();
    const result = await runAttempts(policy({ timeout: 5, retries: 100, retryDelay: 1 }), {
      signal: new AbortController().signal,
      timing,
      attempt: async (signal) => {
        await sleep(20, signal);
        return { ok: false, exitCode: 1, error: 'exit status 1' };
      },
    });
    const elapsed = Date.now() - start;
    assert.equal(result.timedOut, true);
    assert.equal(result.ok, false);
    assert.ok(result.attempts >= 2 && result.attempts <= 3, `attempts ${result.attempts}`);
    // Not before the deadline; no upper bound on wall time (a busy machine only delays timers) — that the
    // deadline ended the retries is what `timedOut` and the attempt count above say.
    assert.ok(elapsed >= 49, `elapsed ${elapsed}`);
  });

  it('a run-level abort is reported as cancelled, not timed out', async () => {
    const controller = new AbortController();
    const result = await runAttempts(policy({ retries: 5, retryDelay: 100 }), {
      signal: controller.signal,
      timing,
      attempt: () => {
        controller.abort();
        return Promise.resolve({ ok: false, exitCode: 137, error: 'killed' });
      },
    });
    assert.deepEqual(result, {
      ok: false,
      timedOut: false,
      cancelled: true,
      exitCode: 137,
      errors: ['killed'],
      attempts: 1,
    });
  });
});
