/**
 * Entry point of dist/server.js. `node dist/server.js --stdio` speaks LSP over stdio; the transport
 * flags (--stdio, --node-ipc, --socket=N) are read by vscode-languageserver itself.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { AcrTaskServer } from './AcrTaskServer';

const transports = ['--stdio', '--node-ipc', '--socket', '--pipe', '--clientProcessId'];
if (!process.argv.slice(2).some((arg) => transports.some((flag) => arg.startsWith(flag)))) {
  process.stderr.write('usage: node dist/server.js --stdio | --node-ipc | --socket=PORT\n');
  process.exit(2);
}
const connection = createConnection(ProposedFeatures.all);
new AcrTaskServer(connection).listen();
