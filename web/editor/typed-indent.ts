// Enter indents the new line (a key that opens a block indents one step), and people who type
// YAML by hand then type that indentation themselves: "chart:⏎  x: a" came out as four spaces,
// which YAML reads as a different block. The spaces typed right after Enter, on a line still
// blank, overtype the indentation Enter added (as closeBrackets overtypes a ")" it added);
// spaces beyond it indent deeper, and anything else typed or any move ends the overtyping.
import { insertNewlineAndIndent } from '@codemirror/commands';
import { StateEffect, StateField, type Extension } from '@codemirror/state';
import { EditorView, type Command } from '@codemirror/view';

/** Where the added indentation ends (the cursor after Enter) and how many of its spaces are left to overtype. */
interface Added { at: number; left: number }

const setAdded = StateEffect.define<Added | null>();

const added = StateField.define<Added | null>({
  create: () => null,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setAdded)) return e.value;
    // Any other edit or move ends it: the spaces now on the line are the user's own.
    return value && (tr.docChanged || tr.selection) ? null : value;
  },
});

/** Enter: a new line indented as the syntax says, whose indentation the next typed spaces overtype. */
export const newlineOvertypedIndent: Command = (view) => {
  if (!insertNewlineAndIndent(view)) return false;
  const { state } = view;
  const range = state.selection.main;
  const line = state.doc.lineAt(range.head);
  const indent = range.empty && /^ *$/.test(line.text) ? range.head - line.from : 0;
  view.dispatch({ effects: setAdded.of(indent > 0 ? { at: range.head, left: indent } : null) });
  return true;
};

/** Spaces typed where Enter's indentation ends are taken as that indentation, as many as Enter added. */
const overtype = EditorView.inputHandler.of((view, from, to, text) => {
  const pending = view.state.field(added, false);
  if (!pending || !/^ +$/.test(text) || from !== to || from !== pending.at) return false;
  const taken = Math.min(text.length, pending.left);
  const rest = text.slice(taken);
  const left = pending.left - taken;
  view.dispatch({
    ...(rest ? { changes: { from, insert: rest }, selection: { anchor: from + rest.length } } : {}),
    effects: setAdded.of(left > 0 && !rest ? { at: from, left } : null),
    userEvent: 'input.type',
  });
  return true;
});

export function overtypedIndent(): Extension {
  return [added, overtype];
}
