// Scores candidate edits: family prior, operator preference, distance from the suspicious lines and size of the change.
import type { OperatorFamily } from "../../core/types.js";

/** How often a family fixes real bugs, roughly (operators, boundaries, conditions, constants and calls first). */
export const FAMILY_WEIGHTS: Record<OperatorFamily, number> = {
  off_by_one: 62,
  binary_operator: 60,
  negate_condition: 56,
  condition_clause: 38,
  slice_bounds: 55,
  replace_constant: 53,
  replace_call: 52,
  add_call_or_return: 50,
  replace_property: 48,
  recursive_call: 47,
  add_guard: 44,
  mutate_return: 42,
  swap_operands: 40,
  replace_identifier: 40,
  wrap_call: 32,
  insert_statement: 30,
  delete_statement: 27,
  swap_statements: 26,
  llm: 0,
};

export interface RankingInput {
  family: OperatorFamily;
  bonus: number;
  line: number;
  endLine: number;
  focusStart: number;
  focusEnd: number;
  removedChars: number;
  insertedChars: number;
}

/** Lines between an edit and the suspicious range (0 when they overlap). */
export function lineDistance(line: number, endLine: number, focusStart: number, focusEnd: number): number {
  if (endLine < focusStart) return focusStart - endLine;
  if (line > focusEnd) return line - focusEnd;
  return 0;
}

/** Higher is tried first. */
export function editPriority(input: RankingInput): number {
  const distance = lineDistance(input.line, input.endLine, input.focusStart, input.focusEnd);
  const distancePenalty = Math.min(40, distance * 4);
  const sizePenalty = Math.min(10, Math.floor((input.removedChars + input.insertedChars) / 20));
  return FAMILY_WEIGHTS[input.family] + input.bonus - distancePenalty - sizePenalty;
}
