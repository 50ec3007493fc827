/**
 * Build Context behind the language server (`node dist/server.js --stdio`, as the editor runs it): the
 * quick-build request starts a run whose events arrive as notifications with secrets masked, bad input
 * fails the request itself, and the context report says what a build would send.
 */
import { deepStrictEqual, match, ok, rejects, strictEqual } from 'node:assert';
import { rmSync } from 'node:fs';
import * as path from 'node:path';

import {
  AWAIT_RUN_REQUEST,
  BUILD_CONTEXT_REQUEST,
  CONTEXT_REPORT_REQUEST,
  RUN_EVENT_NOTIFICATION,
  type BuildContextParams,
  type ContextReportResult,
  type RunEvent,
  type RunFinishedEvent,
  type StartRunResult,
} from '../../../server/src/protocol';
import { LspTestClient } from '../../lsp/LspTestClient';
import { BUSYBOX_IMAGE, getDocker } from '../setup';
import { makeTree, stepOutput } from './buildFixtures';

const SECRET = 'lsp-secret-build-arg-77';

describe('Build Context over LSP (dist/server.js)', function () {
  let client: LspTestClient;
  let root: string;
  const events: RunEvent[] = [];

  before(async function () {
    await getDocker();
    root = makeTree({
      Dockerfile: `FROM ${BUSYBOX_IMAGE}\nARG TOKEN\nCOPY . /ctx\nRUN echo "token=$TOKEN" && ls -a /ctx\n`,
      '.dockerignore': 'secret-notes.txt\n',
      'secret-notes.txt': 'x',
      'app.txt': 'app',
      'big.bin': 'b'.repeat(4096),
    });
    client = new LspTestClient();
    client.connection.onNotification(RUN_EVENT_NOTIFICATION, (event: RunEvent) => {
      events.push(event);
    });
    await client.initialize(root);
  });
  after(async () => {
    await client?.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  it('builds: the run id comes back at once, events follow with the secret build arg masked', async () => {
    const params: BuildContextParams = {
      context: root,
      dockerfile: path.join(root, 'Dockerfile'),
      tags: ['acrtest/lsp-build:{{.Run.ID}}'],
      secretBuildArgs: [`TOKEN=${SECRET}`],
      noCache: true,
    };
    const { runId } = await client.request<StartRunResult>(BUILD_CONTEXT_REQUEST, params);
    const finished = await client.request<RunFinishedEvent>(AWAIT_RUN_REQUEST, { runId });
    const mine = events.filter((event) => event.runId === runId);
    deepStrictEqual(
      { status: finished.status, steps: finished.steps.map((step) => [step.id, step.status]) },
      { status: 'succeeded', steps: [['build', 'succeeded']] },
    );
    match(stepOutput(mine, 'build'), /token=\*\*\*\n(.*\n)*app\.txt\n/);
    ok(!stepOutput(mine, 'build').includes('secret-notes.txt'));
    ok(!JSON.stringify(mine).includes(SECRET), 'the secret build arg reached the client');
    ok(
      mine.some((event) => event.type === 'runMessage' && event.text.startsWith('Not pushed: acrtest/lsp-build:')),
      'says why nothing is pushed',
    );
  });

  it('bad input fails the request and starts no run', async () => {
    const before = events.length;
    await rejects(
      client.request(BUILD_CONTEXT_REQUEST, { context: root, dockerfile: path.join(root, 'Missing'), tags: [] }),
      (error: Error) => /the Dockerfile .*Missing does not exist or is not a file/.test(error.message),
    );
    await rejects(
      client.request(BUILD_CONTEXT_REQUEST, { context: root, tags: [], platform: 'linux/sparc' }),
      /'sparc' is not a valid value for Architecture/,
    );
    strictEqual(events.length, before);
  });

  it('the context report: what a build would send, without building', async () => {
    const report = await client.request<ContextReportResult>(CONTEXT_REPORT_REQUEST, {
      context: root,
      listPaths: true,
      largestCount: 2,
    });
    deepStrictEqual(
      {
        source: report.source,
        files: report.files,
        ignoreFile: report.ignoreFile,
        largest: report.largest.map((entry) => entry.path),
        paths: report.paths?.slice(0, 4),
        warnings: report.warnings,
      },
      {
        source: 'local',
        files: 5,
        ignoreFile: '.dockerignore',
        // The uploaded copy ties with the Dockerfile; the first one met stays.
        largest: ['big.bin', 'Dockerfile'],
        paths: ['.dockerignore', 'Dockerfile', 'app.txt', 'big.bin'],
        warnings: [],
      },
    );
    ok(report.tarBytes > report.totalBytes);
  });
});
