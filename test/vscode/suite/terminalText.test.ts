import * as assert from 'node:assert/strict';
import type { RunEvent } from '../../../server/src/protocol';
import { RunTextWriter } from '../../../client/src/terminal/RunTextWriter';

const ANSI = new RegExp(String.raw`\x1b\[[0-9;]*m`, 'g');

function render(events: RunEvent[]): { text: string; hasColour: boolean } {
  const writer = new RunTextWriter();
  const raw = events.map((event) => writer.format(event)).join('');
  return { text: raw.replace(ANSI, ''), hasColour: ANSI.test(raw) };
}

const started: RunEvent = {
  type: 'runStarted',
  runId: 'ab1',
  taskFile: '/w/acr-task.yaml',
  context: '/w',
  trigger: 'manual',
  startedAt: '2026-01-01T00:00:00.000Z',
  engine: 'unix:///var/run/docker.sock',
  steps: [
    { id: 'a', kind: 'cmd', dependsOn: [], level: 0 },
    { id: 'b', kind: 'cmd', dependsOn: [], level: 0 },
  ],
  runVariables: {},
};

describe('run terminal text', () => {
  it('a header per step with the resolved command and start offset, CRLF lines, coloured output kept, and a summary', () => {
    const { text, hasColour } = render([
      started,
      {
        type: 'stepStarted',
        runId: 'ab1',
        stepId: 'a',
        kind: 'cmd',
        command: 'docker run busybox echo hi',
        startedAt: '2026-01-01T00:00:01.500Z',
      },
      { type: 'stepOutput', runId: 'ab1', stepId: 'a', stream: 'stdout', text: '\x1b[32mhi\x1b[0m\n' },
      {
        type: 'stepFinished',
        runId: 'ab1',
        stepId: 'a',
        id: 'a',
        kind: 'cmd',
        status: 'succeeded',
        exitCode: 0,
        durationMs: 1200,
      },
      {
        type: 'runFinished',
        runId: 'ab1',
        status: 'succeeded',
        startedAt: '2026-01-01T00:00:00.000Z',
        finishedAt: '2026-01-01T00:00:03.000Z',
        durationMs: 3000,
        steps: [{ id: 'a', kind: 'cmd', status: 'succeeded', exitCode: 0, durationMs: 1200 }],
        dependencies: [],
      },
    ]);
    assert.ok(hasColour);
    assert.equal(
      text,
      [
        'Run ab1 /w/acr-task.yaml · engine unix:///var/run/docker.sock · manual',
        'Steps: a, b',
        '',
        '━━ Step a (cmd, at +1.5 s)',
        '$ docker run busybox echo hi',
        'hi',
        '✔ Step a succeeded in 1.2 s',
        '',
        '✔ Run ab1 succeeded in 3.0 s',
        '  ✔ a  succeeded  1.2 s',
        '',
      ].join('\r\n'),
    );
  });

  it('marks whose output it is when parallel steps interleave, and ends open lines before the next message', () => {
    const { text } = render([
      started,
      {
        type: 'stepStarted',
        runId: 'ab1',
        stepId: 'a',
        kind: 'cmd',
        command: 'a',
        startedAt: '2026-01-01T00:00:00.000Z',
      },
      {
        type: 'stepStarted',
        runId: 'ab1',
        stepId: 'b',
        kind: 'cmd',
        command: 'b',
        startedAt: '2026-01-01T00:00:00.000Z',
      },
      { type: 'stepOutput', runId: 'ab1', stepId: 'a', stream: 'stdout', text: 'from a, no newline' },
      { type: 'stepOutput', runId: 'ab1', stepId: 'b', stream: 'stderr', text: 'from b\n' },
      { type: 'runMessage', runId: 'ab1', level: 'warning', text: 'careful' },
    ]);
    assert.match(text, /\$ b\r\n── a\r\nfrom a, no newline\r\n── b\r\nfrom b\r\ncareful\r\n$/);
  });

  it('does not repeat the status as an error, but shows real errors', () => {
    const { text } = render([
      {
        type: 'stepFinished',
        runId: 'ab1',
        stepId: 'a',
        id: 'a',
        kind: 'cmd',
        status: 'cancelled',
        durationMs: 900,
        error: 'cancelled',
      },
      {
        type: 'stepFinished',
        runId: 'ab1',
        stepId: 'b',
        id: 'b',
        kind: 'cmd',
        status: 'failed',
        exitCode: 2,
        durationMs: 100,
        error: 'exit status 2',
      },
    ]);
    assert.equal(text, '■ Step a cancelled in 0.9 s\r\n✘ Step b failed in 0.1 s (exit code 2): exit status 2\r\n');
  });
});
