// What a page of a table is asked for: shared by the server (server/tables/page.ts) and the
// page's grid (web/ui/data-grid.ts), so the two cannot drift. Types only: no polars here.
export interface PageQuery {
  offset: number;
  limit: number;
  /** Column indices [from, to) of the table's columns. */
  from: number;
  to: number;
  sort?: { column: number; descending: boolean };
  /** Rows whose column's text contains `text`, case-insensitive; all filters must hold. */
  filters: { column: number; text: string }[];
}
