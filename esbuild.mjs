// Bundles the three entry points. `vscode` is provided by the extension host; ssh2's optional
// native addons (cpu-features, sshcrypto.node) are loaded lazily by ssh2 and must stay external.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['vscode', 'cpu-features', '*.node'],
  // yaml's browser build is the same code as its Node build without a `process.env` lookup per token
  // (LOG_TOKENS / LOG_STREAM debug switches): ~25 % of a large task file's parse time. Its warnings go
  // to console.warn (stderr) instead of process.emitWarning. Tests of the bundles (LSP, CLI) run it.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
};
const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
for (const entry of entries) {
  const options = { ...common, ...entry };
  if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  } else {
    await esbuild.build(options);
  }
}
