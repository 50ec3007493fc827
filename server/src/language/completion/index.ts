/**
 * Completion: find the site from the text lines (robust while half typed), then ask the matching
 * provider. Data that needs the whole file (earlier step ids, secrets, networks) comes from the
 * analysis, which the YAML parser builds error-tolerantly.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, CompletionList, Position } from 'vscode-languageserver-types';
import type { StepKind } from '../../task/model';
import { toRange } from '../positions';
import type { RuleContext } from '../rules';
import { aliasCompletions } from './aliasItems';
import { completionSiteAt, wordAt } from './cursorContext';
import { flowItemSite } from './flowContext';
import { YamlLines } from './yamlLines';
import { memoized } from '../memo';
import { templateFields } from '../templateFacts';
import { keyCompletions } from './keyItems';
import { starterSnippets, stepSnippets } from './snippets';
import { templateCompletions } from './templateItems';
import { itemCompletions, valueCompletions } from './valueItems';

const STEP_KINDS: readonly StepKind[] = ['cmd', 'build', 'push'];

function stepKindOf(keys: ReadonlySet<string>): StepKind | undefined {
  const kinds = STEP_KINDS.filter((kind) => keys.has(kind));
  return kinds.length === 1 ? kinds[0] : undefined;
}

function stepIndexOf(path: readonly (string | number)[]): number | undefined {
  return path[0] === 'steps' && typeof path[1] === 'number' ? path[1] : undefined;
}

/** Completion items at `position`. */
export function completeAt(document: TextDocument, position: Position, context: RuleContext): CompletionList {
  return complete(document, position, context, true) ?? { isIncomplete: false, items: [] };
}

/**
 * Like {@link completeAt} for an analysis whose YAML tree and task model may carry offsets of an older
 * text (the previous analysis seen through a fact-neutral edit, see editReuse.ts): undefined when the
 * answer would read one of those offsets — a site inside a flow collection (found from the tree) or a
 * `push` item (tags read back from earlier steps' `build` spans).
 */
export function completeWithoutTreeOffsets(
  document: TextDocument,
  position: Position,
  context: RuleContext,
): CompletionList | undefined {
  return complete(document, position, context, false);
}

function complete(
  document: TextDocument,
  position: Position,
  context: RuleContext,
  treeOffsetsExact: boolean,
): CompletionList | undefined {
  const { analysis } = context;
  const text = document.getText();
  const offset = document.offsetAt(position);
  const directive = analysis.aliasMode ? context.aliases().directive : undefined;
  let site = completionSiteAt(text, offset, directive, () =>
    memoized(analysis, 'yamlLines', () => new YamlLines(text)),
  );
  if (site.type === 'none') {
    if (!treeOffsetsExact) return undefined;
    site = flowItemSite(analysis, offset, wordAt(text, offset)) ?? site;
  }
  if (site.type === 'item' && site.key === 'push' && !treeOffsetsExact) return undefined;
  const range = toRange(document, site.word);
  const task = analysis.parsed.task;
  let items: CompletionItem[] = [];
  switch (site.type) {
    case 'empty-file':
      items = starterSnippets(range);
      break;
    case 'template':
      items = templateCompletions({
        expression: site.expression,
        range,
        task,
        values: context.values,
        usedValueKeys: templateFields(analysis).flatMap((field) =>
          field.path[0] === 'Values' && field.path[1] !== undefined ? [field.path[1]] : [],
        ),
      });
      break;
    case 'alias':
      items = aliasCompletions(context.aliases(), range);
      break;
    case 'key': {
      const stepKind = site.kind === 'step' ? stepKindOf(site.siblings) : undefined;
      items = keyCompletions({
        kind: site.kind,
        siblings: site.siblings,
        stepKind,
        column: site.column,
        range,
        nameOnly: site.hasColon,
      });
      if (site.kind === 'step' && site.siblings.size === 0 && !site.hasColon)
        items.push(...stepSnippets(site.column, range, analysis.aliasMode));
      break;
    }
    case 'value': {
      const needsSpace = text[site.word.start - 1] === ':';
      items = valueCompletions({
        kind: site.kind,
        key: site.key,
        before: site.before,
        range,
        needsSpace,
        task,
        aliases: context.aliases(),
      });
      break;
    }
    case 'item':
      items = itemCompletions({
        kind: site.kind,
        key: site.key,
        stepIndex: stepIndexOf(site.path),
        range,
        quoted: site.quoted,
        task,
        text,
      });
      break;
    case 'none':
      break;
  }
  return { isIncomplete: false, items };
}
