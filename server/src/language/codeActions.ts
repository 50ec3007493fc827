/**
 * Quick fixes for this service's diagnostics. Each works from the diagnostic's code and range (its
 * `data` is a shortcut when the client kept it) plus the current analysis, so a fix is never applied
 * to text that has changed underneath it.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type CodeAction, CodeActionKind, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { isSeq } from 'yaml';
import type { SourceAnalysis } from '../task/analyze';
import { DIAGNOSTIC_SOURCE } from '../task/diagnostic';
import type { Span } from '../task/model';
import { sniffVersion, blankCommentLines } from '../task/preprocess';
import { toRange, toSpan } from './positions';
import { secretSkeletonEdit } from './secretSkeleton';
import { collectStepIdSites } from './stepIdSites';
import { pairOf, removeItemSpan, removePairSpan, stepNode } from './yamlEdits';

type Fix = (document: TextDocument, analysis: SourceAnalysis, diagnostic: Diagnostic, span: Span) => CodeAction[];

function action(
  document: TextDocument,
  title: string,
  diagnostic: Diagnostic,
  edits: TextEdit[],
  preferred = false,
): CodeAction {
  const result: CodeAction = {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [document.uri]: edits } },
  };
  if (preferred) result.isPreferred = true;
  return result;
}

function dataOf(diagnostic: Diagnostic): Record<string, unknown> {
  return typeof diagnostic.data === 'object' && diagnostic.data !== null
    ? (diagnostic.data as Record<string, unknown>)
    : {};
}

function replaceWith(title: (text: string) => string): Fix {
  return (document, _analysis, diagnostic, span) => {
    const replacement = dataOf(diagnostic).replacement;
    if (typeof replacement !== 'string') return [];
    return [
      action(
        document,
        title(replacement),
        diagnostic,
        [{ range: toRange(document, span), newText: replacement }],
        true,
      ),
    ];
  };
}

const removeDuplicateWhen: Fix = (document, analysis, diagnostic, span) => {
  const site = collectStepIdSites(analysis).find(
    (candidate) => candidate.role === 'when' && candidate.span.start === span.start,
  );
  const step = site && stepNode(analysis, site.stepIndex);
  const when = step && pairOf(step, 'when')?.value;
  if (!site || !isSeq(when)) return [];
  const index = when.items.findIndex(
    (item) => (item as { range?: [number, number] }).range?.[0] === site.nodeSpan.start,
  );
  const removal = index < 0 ? undefined : removeItemSpan(document.getText(), when, index);
  return removal
    ? [
        action(
          document,
          `Remove the duplicate '${site.id}' from when`,
          diagnostic,
          [{ range: toRange(document, removal), newText: '' }],
          true,
        ),
      ]
    : [];
};

const fixImmediateMixed: Fix = (document, analysis, diagnostic) => {
  const stepId = dataOf(diagnostic).stepId;
  const step =
    analysis.parsed.task.steps.find((candidate) => candidate.id === stepId) ??
    analysis.parsed.task.steps.find((candidate) => {
      const entry = candidate.entries.get('when');
      return entry !== undefined && entry.value.start === document.offsetAt(diagnostic.range.start);
    });
  const node = step && stepNode(analysis, step.index);
  const when = node && pairOf(node, 'when')?.value;
  const entry = step?.entries.get('when');
  if (!step || !entry || !isSeq(when)) return [];
  const actions: CodeAction[] = [];
  const dashes = when.items
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => (item as { value?: unknown }).value === '-');
  // Remove from the last so earlier spans stay valid in one edit set: only one `-` is usual.
  const removals = dashes
    .map(({ index }) => removeItemSpan(document.getText(), when, index))
    .filter((removal): removal is Span => removal !== undefined);
  if (removals.length === dashes.length && removals.length > 0) {
    actions.push(
      action(
        document,
        "Remove '-' (wait for the listed steps)",
        diagnostic,
        removals.map((removal) => ({ range: toRange(document, removal), newText: '' })),
      ),
    );
  }
  // A block list's range runs to the next line; keep that line break.
  let end = entry.value.end;
  while (end > entry.value.start && /\s/.test(document.getText().charAt(end - 1))) end--;
  actions.push(
    action(document, `Start '${step.id}' immediately: when: ["-"]`, diagnostic, [
      { range: toRange(document, { start: entry.key.end, end }), newText: ': ["-"]' },
    ]),
  );
  return actions;
};

const setVersion: Fix = (document, _analysis, diagnostic) => {
  const text = document.getText();
  const sniffed = sniffVersion(blankCommentLines(text));
  if (sniffed)
    return [
      action(
        document,
        'Set version: v1.1.0 (turns aliases on)',
        diagnostic,
        [{ range: toRange(document, sniffed.span), newText: 'v1.1.0' }],
        true,
      ),
    ];
  return [
    action(
      document,
      'Add version: v1.1.0 (turns aliases on)',
      diagnostic,
      [{ range: toRange(document, { start: 0, end: 0 }), newText: 'version: v1.1.0\n' }],
      true,
    ),
  ];
};

const escapeForeignTemplate: Fix = (document, _analysis, diagnostic, span) => {
  const written = document.getText().slice(span.start, span.end);
  if (!written.startsWith('{{') || written.includes('`')) return [];
  return [
    action(
      document,
      `Escape ${written} so ACR keeps it`,
      diagnostic,
      [{ range: toRange(document, span), newText: `{{\`${written}\`}}` }],
      true,
    ),
  ];
};

/** `{{json .}}` and the like: the unknown function makes ACR fail to parse; escaping keeps the text. */
const escapeUnknownFunction: Fix = (document, analysis, diagnostic, span) => {
  const action = analysis.template.actions.find(
    (candidate) =>
      candidate.span.start <= span.start &&
      span.end <= candidate.span.end &&
      candidate.functions.some((call) => !call.known),
  );
  return action ? escapeForeignTemplate(document, analysis, diagnostic, action.span) : [];
};

const renameDuplicateId: Fix = (document, analysis, diagnostic, span) => {
  const written = document
    .getText()
    .slice(span.start, span.end)
    .replace(/^["']|["']$/g, '');
  const taken = new Set(analysis.parsed.task.steps.map((step) => step.id));
  if (written === '' || !analysis.parsed.task.steps.some((step) => step.idExplicit && step.id === written)) return [];
  let counter = 2;
  while (taken.has(`${written}_${counter}`)) counter++;
  const newId = `${written}_${counter}`;
  return [
    action(
      document,
      `Rename this step to '${newId}'`,
      diagnostic,
      [{ range: toRange(document, span), newText: newId }],
      true,
    ),
  ];
};

const removeIgnoredKey: Fix = (document, analysis, diagnostic, span) => {
  const step = analysis.parsed.task.steps.find((candidate) =>
    [...candidate.entries.values()].some((entry) => entry.key.start === span.start),
  );
  const node = step && stepNode(analysis, step.index);
  const name = document.getText().slice(span.start, span.end);
  const pair = node && pairOf(node, name);
  const removal = node && pair && removePairSpan(document.getText(), node, pair);
  return removal
    ? [
        action(document, `Remove '${name}' (no effect on a ${step?.kind ?? ''} step)`, diagnostic, [
          { range: toRange(document, removal), newText: '' },
        ]),
      ]
    : [];
};

const addSecret: Fix = (document, analysis, diagnostic) => {
  const name = dataOf(diagnostic).name;
  const id = typeof name === 'string' ? name : undefined;
  const edit = id === undefined ? undefined : secretSkeletonEdit(document, analysis, id);
  return edit ? [action(document, `Declare secret '${id!}' under secrets:`, diagnostic, [edit], true)] : [];
};

const FIXES: Record<string, Fix> = {
  'key-unknown': replaceWith((text) => `Change to '${text}'`),
  'key-ignored': replaceWith((text) => `Change to '${text}'`),
  'alias-unknown': replaceWith((text) => `Change to '${text}'`),
  'when-duplicate': removeDuplicateWhen,
  'when-immediate-mixed': fixImmediateMixed,
  'alias-mode-off': setVersion,
  'template-foreign': escapeForeignTemplate,
  'template-error': escapeUnknownFunction,
  'step-id-duplicate': renameDuplicateId,
  'key-ignored-for-kind': removeIgnoredKey,
  'secret-undeclared': addSecret,
};

/** Quick fixes for the given diagnostics (those of this service's source). */
export function codeActionsFor(
  document: TextDocument,
  analysis: SourceAnalysis,
  diagnostics: readonly Diagnostic[],
): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== undefined && diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const fix = FIXES[String(diagnostic.code ?? '')];
    if (!fix) continue;
    try {
      actions.push(...fix(document, analysis, diagnostic, toSpan(document, diagnostic.range)));
    } catch {
      // A fix that cannot be computed is simply not offered.
    }
  }
  return actions;
}
