/**
 * Two ignore-rule passes applied one after the other, as one filter for one walk. ACR's build of a local
 * context is such a chain: az uploads what its rules keep, then the agent's docker CLI sends what the
 * uploaded `.dockerignore` keeps of that. Walking once with both keeps the packing streamed and lets
 * either pass skip a directory that it drops entirely.
 */
import type { ContextFilter, FilterState } from './ignoreRules';

/** An entry is kept only when both filters keep it; each filter sees its own parent states. */
export function intersectFilters(first: ContextFilter, second: ContextFilter): ContextFilter {
  const partsOf = (state: FilterState): readonly [FilterState, FilterState] => [
    state.parts?.[0] ?? first.root,
    state.parts?.[1] ?? second.root,
  ];
  return {
    root: { excluded: false, parts: [first.root, second.root] },
    warnings: [...new Set([...first.warnings, ...second.warnings])],
    decide(relPath, parent) {
      const [firstParent, secondParent] = partsOf(parent);
      const firstState = first.decide(relPath, firstParent);
      const secondState = second.decide(relPath, secondParent);
      return { excluded: firstState.excluded || secondState.excluded, parts: [firstState, secondState] };
    },
    canSkipExcludedDirectory(relPath, state) {
      const [firstState, secondState] = partsOf(state);
      // Nothing below can come back when a filter that drops the directory can never re-include below it.
      return (
        (firstState.excluded && first.canSkipExcludedDirectory(relPath, firstState)) ||
        (secondState.excluded && second.canSkipExcludedDirectory(relPath, secondState))
      );
    },
  };
}
