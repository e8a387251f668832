// Where a finding's fix goes in the user's code: the editor's Findings view, its CodeLenses, the CLI and the agents
// all place a group the same way.
import type { CodeClue } from '../../code/codeClues';
import type { CodeLocation } from '../../code/codeLocation';
import type { FindingGroup } from './findingGroups';

export interface PlacedFinding {
  group: FindingGroup;
  location?: CodeLocation;
}

/**
 * Each group at its latest exemplar's repeated call when that maps to code (the line to change, e.g. a query in a
 * loop), else at its anchor (the loop, the raising line).
 */
export function placeFindings(groups: readonly FindingGroup[], locate: (clues: CodeClue[]) => CodeLocation | undefined): PlacedFinding[] {
  return groups.map((group) => {
    const [exemplar] = group.exemplars;
    return { group, location: locate(exemplar.callClues) ?? locate(exemplar.anchorClues) };
  });
}
