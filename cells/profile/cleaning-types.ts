// What a profile found that cleaning would fix (cleaning-hints.ts computes it in the run;
// suggest-cleaning.ts writes a transform cell from it). Plain JSON, part of the profile's result.

export interface CleaningHints {
  /** The rows the hints were read from: the table's first rows, at most CLEANING_ROWS. */
  rowsRead: number;
  /**
   * Row 1 looks like a second header: the text columns whose first value is their own name,
   * and those whose first value is text over rows of numbers (with whether they are whole).
   */
  secondHeader: { repeatsHeader: string[]; textOverNumbers: { column: string; integer: boolean }[] } | null;
  /** Text columns with values that have spaces around them, and how many such values. */
  padded: { column: string; values: number }[];
  /** Values that stand for "no value" (N/A, -, a -1 in a column otherwise ≥ 0, a 999 far above the rest). */
  markers: { column: string; value: string | number; count: number }[];
  /** One category written in several cases ("Europe", "europe"): each spelling with its count, the most frequent first. */
  caseVariants: { column: string; forms: { value: string; count: number }[] }[];
  /**
   * Text columns of numbers that are text only because of values written with thousands
   * separators ("2,192,098", `grouped`) or markers of a missing value among them (`marked`).
   */
  numbersAsText: { column: string; integer: boolean; grouped: number; marked: number }[];
}

/** True when the profile found anything to clean: "Suggest cleaning" has a cell to offer. */
export function cleaningFound(hints: CleaningHints | undefined, duplicateRows: number): boolean {
  return !!hints && (hints.secondHeader !== null || duplicateRows > 0 || hints.padded.length > 0 || hints.markers.length > 0
    || hints.caseVariants.length > 0 || hints.numbersAsText.length > 0);
}
