import { deepStrictEqual } from 'node:assert';
import { ValidationScheduler } from '../../../server/src/lsp/ValidationScheduler';

/**
 * vscode-jsonrpc's queue, reduced to what matters here: one message per setImmediate, the next one
 * queued only after the current one was handled. `requests` messages follow the change.
 */
function queueRequests(scheduler: ValidationScheduler, log: string[], requests: number, endless = false): () => void {
  let stopped = false;
  let handled = 0;
  const next = () => {
    if (stopped || (!endless && handled === requests)) return;
    setImmediate(() => {
      if (stopped) return;
      scheduler.noteRequest();
      log.push(`request ${++handled}`);
      next();
    });
  };
  next();
  return () => {
    stopped = true;
  };
}

describe('ValidationScheduler (when the server validates after a change)', () => {
  const cases: { name: string; changes: string[]; requests: number; expected: string[] }[] = [
    { name: 'no request: validates', changes: ['a'], requests: 0, expected: ['validate a'] },
    {
      name: 'the completion request behind a keystroke is answered first',
      changes: ['a'],
      requests: 1,
      expected: ['request 1', 'validate a'],
    },
    {
      name: 'every request already queued goes first',
      changes: ['a'],
      requests: 3,
      expected: ['request 1', 'request 2', 'request 3', 'validate a'],
    },
    {
      name: 'a burst of changes is one validation per document',
      changes: ['a', 'a', 'b', 'a'],
      requests: 1,
      expected: ['request 1', 'validate b', 'validate a'],
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, async () => {
      const log: string[] = [];
      const expectedValidations = new Set(testCase.changes).size;
      await new Promise<void>((resolve) => {
        const scheduler = new ValidationScheduler((uri) => {
          log.push(`validate ${uri}`);
          if (log.filter((entry) => entry.startsWith('validate')).length === expectedValidations) resolve();
        });
        for (const uri of testCase.changes) scheduler.schedule(uri);
        queueRequests(scheduler, log, testCase.requests);
      });
      deepStrictEqual(log, testCase.expected);
    });
  }

  it('a never-ending stream of requests delays validation by at most maxHops messages', async () => {
    const log: string[] = [];
    let stop = () => {};
    await new Promise<void>((resolve) => {
      const scheduler = new ValidationScheduler((uri) => {
        log.push(`validate ${uri}`);
        stop();
        resolve();
      }, 4);
      scheduler.schedule('a');
      stop = queueRequests(scheduler, log, 0, true);
    });
    deepStrictEqual(log, ['request 1', 'request 2', 'request 3', 'request 4', 'validate a']);
  });

  it('after an edit, a request that arrives late (within the quiet period) is still answered first', async () => {
    const log: string[] = [];
    await new Promise<void>((resolve) => {
      const scheduler = new ValidationScheduler(
        (uri) => {
          log.push(`validate ${uri}`);
          resolve();
        },
        32,
        50,
      );
      scheduler.schedule('a', true);
      // Not in the queue yet when the change is handled: written a moment later by the client.
      setTimeout(() => queueRequests(scheduler, log, 1), 0);
    });
    deepStrictEqual(log, ['request 1', 'validate a']);
  });

  it('an open does not wait for the quiet period (only edits do)', async () => {
    const log: string[] = [];
    // With a quiet period longer than the test's timeout, only an unwaited validation can finish it.
    await new Promise<void>((resolve) => {
      const scheduler = new ValidationScheduler(
        (uri) => {
          log.push(`validate ${uri}`);
          resolve();
        },
        32,
        60_000,
      );
      scheduler.schedule('a');
    });
    deepStrictEqual(log, ['validate a']);
  });

  it('cancel also drops a validation waiting for the quiet period', async () => {
    const log: string[] = [];
    await new Promise<void>((resolve) => {
      const scheduler = new ValidationScheduler(
        (uri) => {
          log.push(`validate ${uri}`);
          if (uri === 'b') resolve();
        },
        32,
        1,
      );
      scheduler.schedule('a', true);
      scheduler.cancel('a');
      scheduler.schedule('b', true);
    });
    deepStrictEqual(log, ['validate b']);
  });

  it('cancel drops a pending validation', async () => {
    const log: string[] = [];
    await new Promise<void>((resolve) => {
      const scheduler = new ValidationScheduler((uri) => {
        log.push(`validate ${uri}`);
        if (uri === 'b') resolve();
      });
      scheduler.schedule('a');
      scheduler.cancel('a');
      scheduler.schedule('b');
    });
    deepStrictEqual(log, ['validate b']);
  });
});
