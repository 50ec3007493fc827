/**
 * Mocha root hooks for every test run (see test/.mocharc.*.json). They start nothing: tests ask for real
 * parts through ./index. Before the tests they clean up after crashed earlier runs; after them they stop
 * what this run started, also when the run is interrupted.
 */
import { releaseAll, shutDown } from './index';
import { pruneStaleRegistries } from './registry';
import { pruneStaleSshServers } from './sshServer';

const EXIT_CODES: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

function onInterrupt(signal: 'SIGINT' | 'SIGTERM'): void {
  // Daemons run in their own session (so one run's Ctrl-C cannot stop an engine another run uses),
  // hence this run gives its leases back itself before it exits.
  console.error(`\n${signal}: stopping the integration test infrastructure this run started…`);
  shutDown()
    .catch((error: unknown) => console.error(error))
    .finally(() => {
      // Mocha sets the exit code to the failure count in an 'exit' listener once its run ends; an
      // interrupted run must not exit 0, so this listener, added last, has the final word.
      process.on('exit', () => (process.exitCode = EXIT_CODES[signal]));
      process.exit(EXIT_CODES[signal]);
    });
}

export const mochaHooks: Mocha.RootHookObject = {
  async beforeAll(): Promise<void> {
    await pruneStaleRegistries();
    await pruneStaleSshServers();
    process.once('SIGINT', onInterrupt);
    process.once('SIGTERM', onInterrupt);
  },
  async afterAll(): Promise<void> {
    process.removeListener('SIGINT', onInterrupt);
    process.removeListener('SIGTERM', onInterrupt);
    await releaseAll();
  },
};
