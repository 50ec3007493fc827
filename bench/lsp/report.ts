/**
 * The benchmark's table: our server beside yaml-language-server and a bare `yaml` parse, with the
 * targets from issue 2 and whether each one is met.
 */
import type { InProcessSamples } from './inProcess';
import type { ServerSamples } from './measureServer';
import { median, quantile } from './stats';

export interface BenchContext {
  steps: number;
  lines: number;
  bytes: number;
  iterations: number;
  warmup: number;
}

interface Row {
  measure: string;
  ours: string;
  other: string;
  ratio: string;
  target: string;
  met: string;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mb = (value: number) => `${value.toFixed(0)} MB`;

function verdict(ok: boolean): string {
  return ok ? 'yes' : '**NO**';
}

export function buildRows(ours: ServerSamples, yamlLs: ServerSamples, inProcess: InProcessSamples): Row[] {
  const openOurs = median(ours.openMs);
  const openYls = median(yamlLs.openMs);
  const editOurs = median(ours.editMs);
  const editYls = median(yamlLs.editMs);
  const parse = median(inProcess.bareParse);
  const completionP95 = quantile(ours.completionMs, 0.95);
  const keystrokeP95 = quantile(ours.keystrokeCompletionMs, 0.95);
  const ratioRow = (measure: string, a: number, b: number, limit: number, otherLabel: string): Row => ({
    measure,
    ours: ms(a),
    other: `${ms(b)} (${otherLabel})`,
    ratio: (a / b).toFixed(2),
    target: `≤ ${limit}`,
    met: verdict(a / b <= limit),
  });
  return [
    ratioRow('Diagnostics after open, median', openOurs, openYls, 0.25, 'yaml-language-server'),
    ratioRow('Diagnostics after an edit, median', editOurs, editYls, 0.25, 'yaml-language-server'),
    ratioRow('Diagnostics after open vs bare parse, median', openOurs, parse, 2, 'yaml parseDocument, as bundled'),
    ratioRow('Diagnostics after an edit vs bare parse, median', editOurs, parse, 2, 'yaml parseDocument, as bundled'),
    {
      measure: 'Completion at end of file, p95',
      ours: ms(completionP95),
      other: `${ms(quantile(yamlLs.completionMs, 0.95))} (yaml-language-server)`,
      ratio: '',
      target: '≤ 15 ms',
      met: verdict(completionP95 <= 15),
    },
    {
      measure: 'Completion right after a keystroke, p95',
      ours: ms(keystrokeP95),
      other: `${ms(quantile(yamlLs.keystrokeCompletionMs, 0.95))} (yaml-language-server)`,
      ratio: '',
      target: '≤ 15 ms',
      met: verdict(keystrokeP95 <= 15),
    },
    {
      measure: 'Server RSS with the file open',
      ours: mb(ours.memoryAfterFirstOpen.rssMb),
      other: `${mb(yamlLs.memoryAfterFirstOpen.rssMb)} (yaml-language-server)`,
      ratio: '',
      target: '≤ 150 MB',
      met: verdict(ours.memoryAfterFirstOpen.rssMb <= 150),
    },
    {
      measure: 'Server RSS at the end / peak',
      ours: `${mb(ours.memoryAtEnd.rssMb)} / ${mb(ours.memoryAtEnd.peakRssMb)}`,
      other: `${mb(yamlLs.memoryAtEnd.rssMb)} / ${mb(yamlLs.memoryAtEnd.peakRssMb)} (yaml-language-server)`,
      ratio: '',
      target: '≤ 150 MB',
      met: verdict(ours.memoryAtEnd.peakRssMb <= 150),
    },
  ];
}

export function markdownTable(rows: Row[]): string {
  const header = '| Measure | Ours | Compared with | Ratio | Target | Met |\n|---|---:|---:|---:|---|---|';
  return [
    header,
    ...rows.map((row) => `| ${row.measure} | ${row.ours} | ${row.other} | ${row.ratio} | ${row.target} | ${row.met} |`),
  ].join('\n');
}

function line(name: string, samples: number[]): string {
  return `| ${name} | ${ms(median(samples))} | ${ms(quantile(samples, 0.95))} | ${ms(Math.min(...samples))} | ${ms(Math.max(...samples))} | ${samples.length} |`;
}

/** Every distribution behind the table, for reading the ratios with their spread. */
export function detailTable(ours: ServerSamples, yamlLs: ServerSamples, inProcess: InProcessSamples): string {
  return [
    '| Samples | Median | p95 | Min | Max | n |',
    '|---|---:|---:|---:|---:|---:|',
    line('ours: open → diagnostics', ours.openMs),
    line('yaml-language-server: open → diagnostics', yamlLs.openMs),
    line('ours: edit → diagnostics', ours.editMs),
    line('yaml-language-server: edit → diagnostics', yamlLs.editMs),
    line('ours: completion', ours.completionMs),
    line('yaml-language-server: completion', yamlLs.completionMs),
    line('ours: keystroke → completion', ours.keystrokeCompletionMs),
    line('yaml-language-server: keystroke → completion', yamlLs.keystrokeCompletionMs),
    line('yaml parseDocument, browser build as bundled (bench process, before each open)', inProcess.bareParse),
    line('yaml parseDocument, Node build (same moments)', inProcess.bareParseNodeBuild),
    line('in-process: ours validate', inProcess.oursValidate),
    line('in-process: yaml-language-server doValidation', inProcess.yamlLanguageServerValidate),
  ].join('\n');
}
