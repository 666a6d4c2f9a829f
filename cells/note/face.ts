// The note cell's result as the CLI, the report, run pages and a run comparison show it: the
// rendered text (HTML made by the run from Markdown with raw HTML off, every value escaped) and
// the live values it showed. No markdown-it here: the page imports faces.
import type { KindFace } from '../face.ts';

export interface NoteValue {
  /** As written in the note: `${covid.rows}`, `$min_cases`. */
  ref: string;
  /** The path it read: `covid.rows`, `min_cases.value`. */
  path: string;
  value: string | number | boolean | null;
  /** As the note shows it (numbers formatted as the page formats them). */
  text: string;
}

export interface NoteResult {
  /** The note as HTML: markdown-it's output, raw HTML off, links to safe schemes only, values as escaped text. */
  html: string;
  /** The first line of prose (usually its heading), values shown. */
  title: string;
  values: NoteValue[];
}

export const noteFace: KindFace<unknown, NoteResult> = {
  summarize: (r) => r.title || `${r.values?.length ?? 0} live values`,
  // The run made this HTML with raw HTML off and every value escaped (markdown.ts): it is the section as it stands.
  report: (r) => `<div class="note">${r.html ?? ''}</div>`,
  foldsEditor: true,
  // The presentation view shows the note as written: its own headings, no heading from the cell's name.
  present: 'bare',
  compare(a, b, cell) {
    const before = new Map((a?.values ?? []).map((v) => [v.ref, v.text]));
    const moved = (b?.values ?? []).filter((v) => before.has(v.ref) && before.get(v.ref) !== v.text);
    if (!moved.length) return {};
    return { notes: [{ cell, kind: 'note', text: moved.map((v) => `${v.path} ${before.get(v.ref)} → ${v.text}`).join('; ') }] };
  },
};
