// Browser side of the kind registry: which element shows a kind's result. Each view takes
// `.result` (and `.partial` while a run streams pieces). A kind missing here is shown as JSON.
import './upload/view.ts';
import './profile/view.ts';
import './rule/view.ts';
import './chart/view.ts';

export const views: Readonly<Record<string, string>> = {
  upload: 'assay-upload-view',
  profile: 'assay-profile-view',
  rule: 'assay-rule-view',
  chart: 'assay-chart-view',
};

export function viewTagFor(kind: string): string | undefined {
  return Object.hasOwn(views, kind) ? views[kind] : undefined;
}
