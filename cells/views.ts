// Browser side of the kind registry: which element shows a kind's result (each view takes
// `.result`, and `.partial` while a run streams pieces; a kind missing here is shown as
// JSON), its face (what the page says of a result, see face.ts) and its editor completion.
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import type { KindFace } from './face.ts';
import './upload/view.ts';
import './profile/view.ts';
import './rule/view.ts';
import './chart/view.ts';
import './sql/view.ts';
import './transform/view.ts';
import './input/view.ts';
import './note/view.ts';
import { uploadFace } from './upload/face.ts';
import { profileFace } from './profile/face.ts';
import { ruleFace } from './rule/face.ts';
import { chartFace } from './chart/face.ts';
import { sqlFace } from './sql/face.ts';
import { transformFace } from './transform/face.ts';
import { inputFace } from './input/face.ts';
import { noteFace } from './note/face.ts';
import { completeRule } from './rule/completion.ts';
import { completeChart } from './chart/completion.ts';
import { completeSql } from './sql/completion.ts';
import { completeTransform } from './transform/completion.ts';
import { completeNote } from './note/completion.ts';

export const views: Readonly<Record<string, string>> = {
  upload: 'assay-upload-view',
  profile: 'assay-profile-view',
  rule: 'assay-rule-view',
  chart: 'assay-chart-view',
  sql: 'assay-sql-view',
  transform: 'assay-transform-view',
  note: 'assay-note-view',
  input: 'assay-input-view',
};

export const faces: Record<string, KindFace> = {
  upload: uploadFace,
  profile: profileFace,
  rule: ruleFace,
  chart: chartFace,
  sql: sqlFace,
  transform: transformFace,
  note: noteFace,
  input: inputFace,
};

/** A kind's completion of its own config; the editor completes `input:` for every kind itself. */
export type Completer = (ctx: CompletionContext, columnsByCell: Record<string, string[]>) => CompletionResult | null;

export const completions: Record<string, Completer> = {
  rule: completeRule,
  chart: completeChart,
  sql: completeSql,
  transform: completeTransform,
  note: completeNote,
};

export function viewTagFor(kind: string): string | undefined {
  return Object.hasOwn(views, kind) ? views[kind] : undefined;
}

export function faceOf(kind: string): KindFace | undefined {
  return Object.hasOwn(faces, kind) ? faces[kind] : undefined;
}

export function completionFor(kind: string): Completer | undefined {
  return Object.hasOwn(completions, kind) ? completions[kind] : undefined;
}
