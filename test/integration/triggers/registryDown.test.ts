/**
 * A registry that stops answering: the watcher reports it once, keeps going, says when it answers
 * again, and then triggers as usual. The registry sits behind a TCP proxy on loopback that the test
 * closes and reopens, so the failure is a real refused connection.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { deepStrictEqual, match, strictEqual } from 'node:assert';

import type { WatcherEvent } from '../../../server/src/protocol';
import {
  definitionsFolder,
  finishedOf,
  pushBase,
  runOnce,
  triggerWorld,
  watch,
  type TriggerWorld,
} from './triggerFixtures';

/** Forwards loopback connections to `target`; `close` refuses new ones and drops the open ones. */
class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(port = 0): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('a registry that stops answering (real engine and registry)', function () {
  let world: TriggerWorld;

  before(async function () {
    world = await triggerWorld();
  });

  it('is reported once, the watcher keeps going, and triggers again once the registry is back', async function () {
    const [host = '', port = ''] = world.registry.address.split(':');
    const proxy = new TcpProxy({ host, port: Number(port) });
    await proxy.open();
    const address = `127.0.0.1:${proxy.port}`;
    const base = `${address}/trg/flaky:latest`;
    await pushBase(world, base, 'v1', address);
    const folder = definitionsFolder(
      'tasks:\n  flaky:\n    file: Dockerfile\n    triggers: {commit: {enabled: false}}\n',
      { Dockerfile: `FROM ${base}\nRUN cat /base-version > /built-on\n` },
    );
    const watched = watch(world, folder.folder, folder.store);
    try {
      await watched.watcher.start();
      strictEqual((await runOnce(watched, 'flaky')).status, 'succeeded');

      await proxy.close();
      const from = watched.events.events.length;
      await watched.watcher.check();
      await watched.watcher.check();
      const problems = watched.events.events.slice(from).filter((event) => event.type === 'problem');
      deepStrictEqual(
        problems.map((event) => event.type === 'problem' && event.key),
        [`registry ${address}`],
      );
      match(
        problems[0]?.type === 'problem' ? problems[0].message : '',
        /cannot reach the registry 127\.0\.0\.1:\d+ for .*flaky:latest: ECONNREFUSED/,
      );
      strictEqual(watched.watcher.state()[0]?.baseImage.bases[0]?.error !== undefined, true);

      await proxy.open(proxy.port);
      await pushBase(world, base, 'v2', address);
      const back = watched.events.events.length;
      await watched.watcher.check();
      const recovered = await watched.events.waitFor(
        'the registry to be back',
        (event: WatcherEvent) => event.type === 'recovered',
        10_000,
        back,
      );
      deepStrictEqual(recovered, {
        type: 'recovered',
        key: `registry ${address}`,
        message: `registry ${address} answers again`,
      });
      const finished = await watched.events.waitFor(
        'the triggered run',
        finishedOf('flaky', 'imageUpdate'),
        90_000,
        back,
      );
      strictEqual(finished.status, 'succeeded', finished.error);
    } finally {
      await watched.watcher.stop('cancel');
      await proxy.close();
      folder.dispose();
    }
  });
});
