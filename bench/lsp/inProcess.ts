/**
 * The same text measured without any transport: our language service's validate and
 * yaml-language-server's doValidation with our schema. Each iteration uses a fresh URI so neither
 * service can answer from a per-document cache. (The bare `yaml` parse, the floor any YAML tool
 * pays, is timed in run.ts between the servers' opens, under the same machine load.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService as getYamlLanguageService } from 'yaml-language-server';
import { createLanguageService } from '../../server/src/language';

export interface InProcessSamples {
  /** Filled by run.ts (see above). */
  bareParse: number[];
  /** The same parse with yaml's Node build (what the compiled tests run). */
  bareParseNodeBuild: number[];
  oursValidate: number[];
  yamlLanguageServerValidate: number[];
}

function time(action: () => unknown): number {
  const started = performance.now();
  action();
  return performance.now() - started;
}

async function timeAsync(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

export async function measureInProcess(
  text: string,
  root: string,
  schemaPath: string,
  warmup: number,
  iterations: number,
): Promise<InProcessSamples> {
  const samples: InProcessSamples = {
    bareParse: [],
    bareParseNodeBuild: [],
    oursValidate: [],
    yamlLanguageServerValidate: [],
  };
  const keep = (index: number) => index >= warmup;

  const ours = createLanguageService({
    readFile: (path) => {
      try {
        return readFileSync(path.startsWith('/') ? path : join(root, path), 'utf8');
      } catch {
        return undefined;
      }
    },
  });
  for (let index = 0; index < warmup + iterations; index++) {
    const document = TextDocument.create(`file://${root}/in-process-${index}.acr-task.yaml`, 'yaml', 1, text);
    const ms = time(() => ours.validate(document, { valuesFile: 'values.yaml' }));
    if (keep(index)) samples.oursValidate.push(ms);
  }

  const schemaUri = `file://${schemaPath}`;
  const schemaText = readFileSync(schemaPath, 'utf8');
  const yamlLs = getYamlLanguageService({
    schemaRequestService: (uri) =>
      uri === schemaUri ? Promise.resolve(schemaText) : Promise.reject(new Error(`no schema ${uri}`)),
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).toString() },
  });
  yamlLs.configure({
    validate: true,
    completion: true,
    hover: true,
    schemas: [{ uri: schemaUri, fileMatch: ['*.acr-task.yaml'] }],
  });
  for (let index = 0; index < warmup + iterations; index++) {
    const document = TextDocument.create(`file://${root}/yls-in-process-${index}.acr-task.yaml`, 'yaml', 1, text);
    const ms = await timeAsync(() => yamlLs.doValidation(document, false));
    if (keep(index)) samples.yamlLanguageServerValidate.push(ms);
  }
  return samples;
}
