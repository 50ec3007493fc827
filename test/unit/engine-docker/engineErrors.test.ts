import { deepStrictEqual, strictEqual } from 'node:assert';

import { EngineUnreachableError, RegistryError, RuntimeError } from '../../../server/src/engine/ContainerRuntime';
import type { ResolvedEndpoint } from '../../../server/src/engine/dockerEndpoint';
import { Deadline, engineMessage, translateEngineError } from '../../../server/src/engine/docker/engineErrors';

const endpoint: ResolvedEndpoint = {
  endpoint: 'unix:///var/run/docker.sock',
  source: 'default',
  transport: { kind: 'unix', socketPath: '/var/run/docker.sock' },
};

/** What docker-modem rejects with for an HTTP error. */
function modemError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message} `), {
    statusCode,
    json: { message },
  });
}

function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof EngineUnreachableError)
    return { type: 'EngineUnreachableError', endpoint: error.endpoint, reason: error.reason };
  if (error instanceof RuntimeError)
    return { type: 'RuntimeError', message: error.message, operation: error.operation, status: error.statusCode };
  if (error instanceof RegistryError) return { type: 'RegistryError', message: error.message, status: error.status };
  return { type: 'other', value: error };
}

describe('translateEngineError', () => {
  it('an HTTP error keeps the engine message and status', () => {
    const error = translateEngineError(modemError(409, 'Conflict. The container name "/build" is already in use'), {
      operation: 'create container',
      caller: new AbortController().signal,
      endpoint,
    });
    deepStrictEqual(describeError(error), {
      type: 'RuntimeError',
      message: 'create container: Conflict. The container name "/build" is already in use',
      operation: 'create container',
      status: 409,
    });
  });

  it('a connection failure means the engine is unreachable', () => {
    const error = translateEngineError(
      Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' }),
      {
        operation: 'info',
        caller: new AbortController().signal,
        endpoint,
      },
    );
    deepStrictEqual(describeError(error), {
      type: 'EngineUnreachableError',
      endpoint: 'unix:///var/run/docker.sock',
      reason: 'the socket /var/run/docker.sock does not exist (is dockerd running?)',
    });
  });

  it("the caller's abort reason wins over whatever the aborted request threw", () => {
    const controller = new AbortController();
    const reason = new Error('step timed out');
    controller.abort(reason);
    strictEqual(
      translateEngineError(new Error('socket hang up'), { operation: 'wait', caller: controller.signal, endpoint }),
      reason,
    );
  });

  it('typed errors pass through unchanged', () => {
    const registry = new RegistryError('unauthorized', 'r/x:1', 401);
    strictEqual(
      translateEngineError(registry, { operation: 'push', caller: new AbortController().signal, endpoint }),
      registry,
    );
  });

  it('a deadline that fired becomes a timeout error naming the endpoint (unreachable for info)', async () => {
    const caller = new AbortController().signal;
    const deadline = new Deadline(caller, 5);
    await new Promise<void>((resolve) => deadline.signal.addEventListener('abort', () => resolve()));
    deadline.dispose();
    const slow = translateEngineError(new Error('aborted'), { operation: 'remove volume', caller, deadline, endpoint });
    const probe = translateEngineError(new Error('aborted'), {
      operation: 'info',
      caller,
      deadline,
      endpoint,
      unreachableOnTimeout: true,
    });
    deepStrictEqual(
      [describeError(slow), describeError(probe)],
      [
        {
          type: 'RuntimeError',
          message: 'remove volume: the engine at unix:///var/run/docker.sock did not answer within 0 s',
          operation: 'remove volume',
          status: undefined,
        },
        { type: 'EngineUnreachableError', endpoint: 'unix:///var/run/docker.sock', reason: 'no answer within 0 s' },
      ],
    );
  });

  it('engine messages come from the JSON body, else the raw body, else the error', () => {
    deepStrictEqual(
      [
        engineMessage({ json: { message: 'No such container: x' } }),
        engineMessage({ json: Buffer.from('page not found\n') }),
        engineMessage(new Error('boom')),
      ],
      ['No such container: x', 'page not found', 'boom'],
    );
  });
});
