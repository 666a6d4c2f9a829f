// <assay-editor>: a CodeMirror 6 YAML editor for a cell's config.
// Shift+Enter saves and runs, Ctrl/Cmd+S saves; both are sent up as `editor-save`.
// While the text differs from the last saved config the editor is "dirty": a refetch
// that brings a new saved config does not overwrite what the user is typing.
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { bracketMatching, HighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState, Prec, Transaction } from '@codemirror/state';
import {
  drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, hoverTooltip, keymap, lineNumbers,
  type Command, type Tooltip,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { css, LitElement } from 'lit';
import { completionFor, faceOf } from '../../cells/views.ts';
import type { ItemError } from '../../cells/face.ts';
import { completeKeys } from '../../cells/completion.ts';
import { api, type KindInfo } from '../api.ts';
import { helpAt, keyPathAt, keysAt, type SchemaNode } from './schema-help.ts';
import { keyLine, listItemLines } from './yaml-lines.ts';
import { newlineOvertypedIndent, overtypedIndent } from './typed-indent.ts';
import { yamlWithSql } from './sql-in-yaml.ts';

// Each kind's config reference (GET /api/kinds: JSON Schema made from the server's own
// schema), fetched once per page: the editor's key help and top-level key completion.
let references: Promise<Record<string, SchemaNode>> | undefined;
function referenceOf(kind: string): Promise<SchemaNode | undefined> {
  references ??= api.kinds()
    .then((list) => Object.fromEntries((list as (KindInfo & { config?: SchemaNode })[]).filter((k) => k.config).map((k) => [k.kind, k.config!])))
    .catch(() => { references = undefined; return {}; });
  return references.then((all) => (Object.hasOwn(all, kind) ? all[kind] : undefined));
}

/** A config error: at its YAML line and column when known, else at the line of the key it names (`y.aggregate`). */
export interface EditorError { message: string; line?: number; column?: number; key?: string }
export interface EditorSaveDetail { text: string; run: boolean }

const highlight = HighlightStyle.define([
  { tag: tags.definition(tags.propertyName), color: 'var(--cm-key)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--cm-string)' },
  { tag: tags.content, color: 'var(--cm-value)' },
  { tag: tags.lineComment, color: 'var(--cm-comment)', fontStyle: 'italic' },
  { tag: [tags.keyword, tags.typeName, tags.labelName], color: 'var(--cm-keyword)' },
  { tag: [tags.meta, tags.separator, tags.punctuation, tags.squareBracket, tags.brace], color: 'var(--cm-punct)' },
]);

const theme = EditorView.theme({
  '&': { fontSize: '13px', backgroundColor: 'var(--editor-bg)', color: 'var(--fg)' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--fg)', padding: '6px 0' },
  '.cm-cursor': { borderLeftColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--editor-gutter)', color: 'var(--muted)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'var(--editor-active)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--editor-active)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--editor-selection) !important' },
  '.cm-tooltip': { backgroundColor: 'var(--surface)', color: 'var(--fg)', border: '1px solid var(--border)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--accent-fg)' },
  '.cm-key-help': { padding: '4px 8px', maxWidth: '32em', fontFamily: 'var(--sans, inherit)', fontSize: '12px' },
  '.cm-key-help b': { fontFamily: 'var(--mono)' },
});

export class AssayEditor extends LitElement {
  static properties = {
    value: { type: String },
    error: { attribute: false },
    cellNames: { attribute: false },
    kind: { type: String },
    columnsByCell: { attribute: false },
    itemErrors: { attribute: false },
    readOnly: { type: Boolean },
  };

  static styles = css`
    :host { display: block; border: 1px solid var(--border); border-radius: 6px; overflow: hidden; }
    :host(:focus-within) { border-color: var(--accent); box-shadow: 0 0 0 2px var(--focus-ring); }
  `;

  /** Shown but not editable (a viewer's page). */
  declare readOnly: boolean;
  private readonly editable = new Compartment();
  /** YAML, with SQL inside for kinds whose config holds a query (KindFace.sqlKeys). */
  private readonly language = new Compartment();

  /** The saved config text. */
  declare value: string;
  /** An error with an optional 1-based YAML line, shown as a lint diagnostic on that line. */
  declare error: EditorError | null;
  /** Names of the workspace's cells, offered after `input:`. */
  declare cellNames: string[];
  /** The cell's kind: its face may complete its own words and the input's column names (completionFor). */
  declare kind: string;
  /** Column names of each cell's table, as far as the page knows them (from results). */
  declare columnsByCell: Record<string, string[]>;
  /** Errors of single items of the config's `rules:` list (by index), shown at their line. */
  declare itemErrors: ItemError[];

  private view: EditorView | null = null;
  /** The kind's config reference, once fetched. */
  private schema: SchemaNode | undefined;
  private schemaKind = '';
  private saved = '';
  private wasDirty = false;

  constructor() {
    super();
    this.value = '';
    this.error = null;
    this.cellNames = [];
    this.kind = '';
    this.columnsByCell = {};
    this.itemErrors = [];
  }

  get text(): string {
    return this.view ? this.view.state.doc.toString() : this.value;
  }

  get dirty(): boolean {
    return this.text !== this.saved;
  }

  override focus(): void {
    this.view?.focus();
  }

  override firstUpdated(): void {
    const save = (run: boolean): Command => () => {
      this.dispatchEvent(new CustomEvent<EditorSaveDetail>('editor-save', { detail: { text: this.text, run }, bubbles: true, composed: true }));
      return true;
    };
    this.saved = this.value;
    this.view = new EditorView({
      root: this.shadowRoot!,
      parent: this.shadowRoot!,
      state: EditorState.create({
        doc: this.value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightSpecialChars(),
          drawSelection(),
          highlightActiveLine(),
          indentOnInput(),
          overtypedIndent(),
          bracketMatching(),
          closeBrackets(),
          EditorState.tabSize.of(2),
          this.language.of(yamlWithSql(faceOf(this.kind)?.sqlKeys)),
          syntaxHighlighting(highlight),
          autocompletion({ override: [(ctx) => this.complete(ctx)] }),
          hoverTooltip((view, pos) => this.keyHelp(view, pos)),
          lintGutter(),
          history(),
          indentUnit.of('  '),
          Prec.high(keymap.of([
            { key: 'Shift-Enter', run: save(true) },
            { key: 'Mod-s', run: save(false), preventDefault: true },
          ])),
          keymap.of([
            ...closeBracketsKeymap,
            ...completionKeymap,
            // After the completion popup's own Escape: leaves the editor, so Tab moves focus again.
            { key: 'Escape', run: (view) => {
              view.contentDOM.blur();
              this.dispatchEvent(new CustomEvent('editor-leave', { bubbles: true, composed: true }));
              return true;
            } },
            { key: 'Enter', run: newlineOvertypedIndent },
            ...defaultKeymap,
            ...historyKeymap,
            indentWithTab,
          ]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) this.noteDirty();
          }),
          EditorView.contentAttributes.of({ 'aria-label': 'cell configuration (YAML)' }),
          this.editable.of(this.editability()),
          theme,
        ],
      }),
    });
    this.showError();
  }

  /** The reference of this cell's kind, fetched when the kind is first known. */
  private loadSchema(): void {
    if (!this.kind || this.kind === this.schemaKind) return;
    const kind = (this.schemaKind = this.kind);
    void referenceOf(kind).then((schema) => { if (this.kind === kind) this.schema = schema; });
  }

  /** Hovering a key shows its line of help from the kind's reference. */
  private keyHelp(view: EditorView, pos: number): Tooltip | null {
    const line = view.state.doc.lineAt(pos);
    const key = /^(\s*(?:-\s+)?)([\w.-]+)\s*:/.exec(line.text);
    if (!key) return null;
    const from = line.from + key[1]!.length;
    const to = from + key[2]!.length;
    if (pos < from || pos > to) return null;
    const path = keyPathAt(view.state.doc.toString(), line.number);
    const help = path ? helpAt(this.schema, path) : undefined;
    if (!help) return null;
    return {
      pos: from, end: to, above: true,
      create: () => {
        const dom = document.createElement('div');
        dom.className = 'cm-key-help';
        const name = document.createElement('b');
        name.textContent = key[2]!;
        dom.append(name, ` — ${help}`);
        return { dom };
      },
    };
  }

  private editability() {
    return [EditorState.readOnly.of(Boolean(this.readOnly)), EditorView.editable.of(!this.readOnly)];
  }

  /** Drops the unsaved text for the saved config (after someone else saved theirs). */
  discard(): void {
    if (!this.view) return;
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: this.saved } });
    this.noteDirty();
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('kind')) this.loadSchema();
    if (!this.view) return;
    if (changed.has('readOnly')) this.view.dispatch({ effects: this.editable.reconfigure(this.editability()) });
    if (changed.has('kind')) this.view.dispatch({ effects: this.language.reconfigure(yamlWithSql(faceOf(this.kind)?.sqlKeys)) });
    if (changed.has('value') && this.value !== this.saved) {
      // Unsaved text wins over a refetched config; a clean editor follows the server.
      const clean = this.text === this.saved;
      // Someone else saved this cell while this page has unsaved text: the cell says so.
      if (!clean && this.text !== this.value) {
        this.dispatchEvent(new CustomEvent('editor-conflict', { detail: { theirs: this.value }, bubbles: true, composed: true }));
      }
      this.saved = this.value;
      if (clean && this.text !== this.value) {
        // Not undoable: undo must not bring back text from before someone else's save.
        this.view.dispatch({
          changes: { from: 0, to: this.view.state.doc.length, insert: this.value },
          annotations: Transaction.addToHistory.of(false),
        });
      }
      this.noteDirty();
    }
    if (changed.has('error') || changed.has('itemErrors')) this.showError();
  }

  /** Records `text` as saved (after a successful PATCH) before the refetch confirms it. */
  markSaved(text: string): void {
    this.saved = text;
    this.noteDirty();
  }

  private noteDirty(): void {
    const dirty = this.dirty;
    if (dirty === this.wasDirty) return;
    this.wasDirty = dirty;
    this.dispatchEvent(new CustomEvent('editor-dirty', { detail: { dirty }, bubbles: true, composed: true }));
  }

  private showError(): void {
    if (!this.view) return;
    const { state } = this.view;
    const diagnostics: Diagnostic[] = [];
    const err = this.error;
    // A config error names its key and the line it was on: both belong to the saved text, so while the user edits it waits.
    const lineNo = typeof err?.line === 'number' && (!err.key || !this.dirty) ? err.line
      : err?.key && !this.dirty ? keyLine(state.doc.toString(), err.key) : undefined;
    if (err && lineNo !== undefined && lineNo >= 1 && lineNo <= state.doc.lines) {
      const line = state.doc.line(lineNo);
      const col = typeof err.column === 'number' && err.column >= 1 ? Math.min(line.from + err.column - 1, line.to) : line.from;
      diagnostics.push({ from: col, to: line.to > col ? line.to : col, severity: 'error', message: err.message });
    }
    // Item errors belong to the saved text; while the user edits, lines may have moved.
    if (!this.dirty) {
      const text = state.doc.toString();
      for (const e of this.itemErrors ?? []) {
        const starts = listItemLines(text, e.list);
        const start = starts[e.index];
        if (start === undefined) continue;
        let lineNo = start;
        // Point at the offending option when the error names one and the item holds it.
        for (let n = start; e.key && n <= state.doc.lines && (n === start || starts[e.index + 1] === undefined || n < starts[e.index + 1]!); n++) {
          if (new RegExp(`^\\s*(-\\s+)?${e.key.replace(/[^\w]/g, '')}:`).test(state.doc.line(n).text)) { lineNo = n; break; }
        }
        const line = state.doc.line(lineNo);
        diagnostics.push({ from: line.from + (line.text.length - line.text.trimStart().length), to: line.to, severity: 'error', message: e.message });
      }
    }
    this.view.dispatch(setDiagnostics(state, diagnostics));
  }

  private complete(ctx: CompletionContext): CompletionResult | null {
    const line = ctx.state.doc.lineAt(ctx.pos);
    const before = line.text.slice(0, ctx.pos - line.from);
    // `$name`, an input cell's value (cells/shared/params.ts), wherever a config's text holds one.
    const param = /\$([A-Za-z_]\w*)?$/.exec(before);
    if (param && !/\$\$$/.test(before)) {
      return { from: ctx.pos - (param[1]?.length ?? 0), options: this.cellNames.map((name) => ({ label: name, type: 'variable', detail: 'an input cell\'s value' })), validFor: /^\w*$/ };
    }
    const own = completionFor(this.kind)?.(ctx, this.columnsByCell);
    if (own) return this.withHelp(own, ctx, line.number, before);
    // A top-level key being typed: the kind's keys not yet written, each with its help.
    const topKey = /^(\w*)$/.exec(before);
    if (topKey && (topKey[1] || ctx.explicit) && this.schema) {
      const present = [...ctx.state.doc.toString().matchAll(/^(\w+)\s*:/gm)].map((m) => m[1]!);
      const keys = keysAt(this.schema, []);
      return completeKeys(ctx.pos, topKey[1]!, keys.map((k) => k.key), present, Object.fromEntries(keys.map((k) => [k.key, k.help])));
    }
    const m = /^(\s*(?:-\s+)?input:\s*|\s*-\s+)([\w.-]*)$/.exec(before);
    if (!m) return null;
    // A bare list item only completes inside an `inputs:` block.
    if (!/input:/.test(m[1]!) && !this.insideInputsList(ctx, line.number)) return null;
    if (!m[2] && !ctx.explicit && !/input:\s+$/.test(m[1]!)) return null;
    return {
      from: ctx.pos - m[2]!.length,
      options: this.cellNames.map((name) => ({ label: name, type: 'variable', detail: 'cell' })),
      validFor: /^[\w.-]*$/,
    };
  }

  /** Keys a kind's own completion offers (a rule's options, an encoding's keys) get their help from the reference. */
  private withHelp(result: CompletionResult, ctx: CompletionContext, lineNumber: number, before: string): CompletionResult {
    const lead = /^(\s*(?:-\s+)?)\w*$/.exec(before);
    if (!lead || !this.schema) return result;
    // The path of a key written where the cursor is: this line as if it held "key:".
    const lines = ctx.state.doc.toString().split('\n');
    lines[lineNumber - 1] = `${lead[1]}__key__:`;
    const parent = keyPathAt(lines.join('\n'), lineNumber)?.slice(0, -1);
    if (!parent) return result;
    const options = result.options.map((o) => {
      if (o.detail || o.type !== 'property') return o;
      const help = helpAt(this.schema, [...parent, o.label.replace(/:\s*$/, '')]);
      return help ? { ...o, detail: help } : o;
    });
    return { ...result, options };
  }

  private insideInputsList(ctx: CompletionContext, lineNumber: number): boolean {
    for (let n = lineNumber - 1; n >= 1; n--) {
      const text = ctx.state.doc.line(n).text;
      if (/^\s*-\s/.test(text) || !text.trim()) continue;
      return /^\s*inputs:\s*$/.test(text);
    }
    return false;
  }
}

customElements.define('assay-editor', AssayEditor);

declare global {
  interface HTMLElementTagNameMap {
    'assay-editor': AssayEditor;
  }
}
