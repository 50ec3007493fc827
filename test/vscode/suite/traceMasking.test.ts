import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { MaskingLogChannel, SecretMask } from '../../../client/src/MaskingLogChannel';
import { extensionApi } from './helpers';

/** A LogOutputChannel that records what reaches it. */
function recordingChannel(lines: string[]): vscode.LogOutputChannel {
  const event = new vscode.EventEmitter<vscode.LogLevel>();
  const record = (message: string, ...args: unknown[]) => lines.push([message, ...args.map(String)].join(' '));
  return {
    name: 'recording',
    logLevel: vscode.LogLevel.Trace,
    onDidChangeLogLevel: event.event,
    append: (value) => lines.push(value),
    appendLine: (value) => lines.push(value),
    replace: (value) => lines.push(value),
    trace: record,
    debug: record,
    info: record,
    warn: record,
    error: (error: string | Error, ...args: unknown[]) =>
      record(typeof error === 'string' ? error : error.message, ...args),
    clear: () => undefined,
    show: () => undefined,
    hide: () => undefined,
    dispose: () => event.dispose(),
  };
}

describe('secrets in the LSP trace', () => {
  it('the language client traces into the masking channel', async () => {
    const api = await extensionApi();
    assert.equal(api.client.traceOutputChannel.name, 'ACR Tasks (LSP trace)');
    assert.equal(api.client.traceOutputChannel.constructor.name, 'MaskingLogChannel');
  });

  it('masks registered values, plain and JSON-escaped, in every kind of line', () => {
    const lines: string[] = [];
    const mask = new SecretMask();
    mask.add(['s3cret', 'with "quotes"', '']);
    const channel = new MaskingLogChannel(recordingChannel(lines), mask);
    channel.appendLine('[Trace] Sending request acrTasks/startRun: {"secrets":{"a":"s3cret","b":"with \\"quotes\\""}}');
    channel.trace('params', { secrets: { a: 's3cret' } });
    channel.info('value s3cret in a message');
    channel.error(new Error('failed with s3cret'));
    channel.append('no secret here');
    assert.deepEqual(lines, [
      '[Trace] Sending request acrTasks/startRun: {"secrets":{"a":"***","b":"***"}}',
      'params {"secrets":{"a":"***"}}',
      'value *** in a message',
      'failed with ***',
      'no secret here',
    ]);
  });
});
