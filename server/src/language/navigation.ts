/**
 * Go-to-definition, references and rename for step ids: a step's `id:` is the declaration, every
 * `when:` item naming it is a reference (spec §5.1: a `when` may only name an earlier step, so the
 * definition of a reference is the nearest earlier step with that id).
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Location, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { SourceAnalysis } from '../task/analyze';
import type { Span } from '../task/model';
import { editorAliases } from './aliases';
import { findAliasReferences } from '../task/preprocess';
import { lineAt, toRange, touches } from './positions';
import { templateFields } from './templateFacts';
import { collectStepIdSites, siteAt, type StepIdSite } from './stepIdSites';

const AUTO_ID = /^acb_step_(\d+)$/;
/** Plain YAML scalars that need no quotes in block or flow context. */
const PLAIN_SAFE = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;

function location(document: TextDocument, span: Span): Location {
  return { uri: document.uri, range: toRange(document, span) };
}

/** The span that stands for a step with an automatic id: its first key. */
function autoIdSpan(analysis: SourceAnalysis, id: string): Span | undefined {
  const index = Number(AUTO_ID.exec(id)?.[1] ?? NaN);
  const step = analysis.parsed.task.steps[index];
  if (!step || step.idExplicit) return undefined;
  const first = [...step.entries.values()][0];
  return first ? first.key : { start: step.span.start, end: step.span.start };
}

/** Declarations of `id` that a reference from step `fromIndex` resolves to (earlier ones first). */
function declarations(sites: readonly StepIdSite[], id: string, fromIndex: number): StepIdSite[] {
  const all = sites.filter((site) => site.role === 'id' && site.id === id);
  const earlier = all.filter((site) => site.stepIndex < fromIndex);
  return earlier.length > 0 ? [earlier[0]] : all.slice(0, 1);
}

/** `{{ .Secrets.x }}` → the secret's `id:`; `$name` (alias mode) → its key under `alias.values`. */
function otherDefinition(document: TextDocument, analysis: SourceAnalysis, offset: number): Location[] {
  const field = templateFields(analysis).find((candidate) => touches(candidate.span, offset));
  if (field?.path[0] === 'Secrets' && field.path[1] !== undefined) {
    const secret = analysis.parsed.task.secrets.find((candidate) => candidate.id === field.path[1]);
    const span = secret?.entries.get('id')?.value;
    return span ? [location(document, span)] : [];
  }
  if (!analysis.aliasMode) return [];
  const aliases = editorAliases(analysis, () => undefined);
  const line = lineAt(analysis.masked, offset);
  const reference = findAliasReferences(
    analysis.masked.slice(line.start, line.end),
    aliases.values,
    aliases.directive,
  ).find(
    (candidate) =>
      candidate.known &&
      touches({ start: line.start + candidate.span.start, end: line.start + candidate.span.end }, offset),
  );
  const span =
    reference && aliases.aliases.get(reference.name)?.source === 'values'
      ? aliases.aliases.get(reference.name)?.span
      : undefined;
  return span ? [location(document, span)] : [];
}

export function findDefinition(document: TextDocument, analysis: SourceAnalysis, offset: number): Location[] {
  const sites = collectStepIdSites(analysis);
  const site = siteAt(sites, offset);
  if (!site) return otherDefinition(document, analysis, offset);
  if (site.role === 'id') return [location(document, site.span)];
  const found = declarations(sites, site.id, site.stepIndex);
  if (found.length > 0) return found.map((declaration) => location(document, declaration.span));
  const auto = autoIdSpan(analysis, site.id);
  return auto ? [location(document, auto)] : [];
}

export function findReferences(
  document: TextDocument,
  analysis: SourceAnalysis,
  offset: number,
  includeDeclaration: boolean,
): Location[] {
  const sites = collectStepIdSites(analysis);
  const site = siteAt(sites, offset);
  if (!site) return [];
  return sites
    .filter((other) => other.id === site.id && (includeDeclaration || other.role === 'when'))
    .map((other) => location(document, other.span));
}

/** The id under the cursor when it can be renamed (explicit ids and references to them). */
export function prepareStepRename(document: TextDocument, analysis: SourceAnalysis, offset: number): Range | null {
  const sites = collectStepIdSites(analysis);
  const site = siteAt(sites, offset);
  if (!site || site.id === '-' || site.id === '') return null;
  if (!sites.some((other) => other.role === 'id' && other.id === site.id)) return null;
  return toRange(document, site.span);
}

function replacement(site: StepIdSite, newName: string): string {
  if (!site.plain || PLAIN_SAFE.test(newName)) return newName;
  return JSON.stringify(newName);
}

/** Renames a step id in its `id:` and in every `when` that names it; null when nothing can be renamed. */
export function renameStep(
  document: TextDocument,
  analysis: SourceAnalysis,
  offset: number,
  newName: string,
): WorkspaceEdit | null {
  if (newName === '' || /\s/u.test(newName) || newName === '-') return null;
  // Renaming onto another step's id would make ACR reject the task ("already exists as a vertex").
  if (analysis.parsed.task.steps.some((step) => step.id === newName)) return null;
  if (prepareStepRename(document, analysis, offset) === null) return null;
  const sites = collectStepIdSites(analysis);
  const site = siteAt(sites, offset);
  if (!site) return null;
  const edits: TextEdit[] = sites
    .filter((other) => other.id === site.id)
    .map((other) => {
      // A quoted scalar keeps its quotes; replace only the text inside them.
      const span = other.plain ? other.nodeSpan : other.span;
      const text = other.plain
        ? replacement(other, newName)
        : escapeForQuote(document.getText().charAt(other.nodeSpan.start), newName);
      return { range: toRange(document, span), newText: text };
    });
  return { changes: { [document.uri]: edits } };
}

function escapeForQuote(quote: string, text: string): string {
  if (quote === "'") return text.replace(/'/g, "''");
  return JSON.stringify(text).slice(1, -1);
}
