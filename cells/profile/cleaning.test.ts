// The profile's cleaning hints on real files, against MANIFEST.md: the markers it names are
// the file's own, a two-letter code column's NA (Namibia) is no marker, a clean file has none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { context, runUpload, tempDir } from '../upload/corpus.ts';
import { profile } from './index.ts';
import { suggestCleaning } from './suggest-cleaning.ts';
import type { ProfileResult } from './types.ts';

const workDir = tempDir('assay-cleaning-');

async function profiled(file: string): Promise<ProfileResult> {
  const table = await runUpload(file, {}, workDir);
  return (await profile.run({ config: { input: 't' }, inputs: { t: table }, ctx: context(workDir) })).result;
}

test('cleaning hints: the covid file\'s "N/A" codes are markers, Namibia\'s "NA" is not', async () => {
  const r = await profiled('ecdc-covid19-2020-03-30-dmy.csv');
  // MANIFEST.md: countryterritoryCode = N/A in 64 rows; geoId = NA in 16 rows is Namibia.
  assert.deepEqual(r.cleaning?.markers, [{ column: 'countryterritoryCode', value: 'N/A', count: 64 }]);
  assert.equal(r.cleaning?.secondHeader, null);
  assert.match(suggestCleaning(r, 't')!, /- replace: \{countryterritoryCode: \{N\/A: null\}\}/);
});

test('cleaning hints: the police file\'s text markers, as MANIFEST.md counts them', async () => {
  const r = await profiled('police-killings-2015-missing-markers.csv');
  const markers = Object.fromEntries(r.cleaning!.markers.map((m) => [`${m.column} ${m.value}`, m.count]));
  // MANIFEST.md: streetaddress NA ×4; raceethnicity Unknown ×15.
  assert.equal(markers['streetaddress NA'], 4);
  assert.equal(markers['raceethnicity Unknown'], 15);
});

test('cleaning hints: a clean file has nothing to clean', async () => {
  const r = await profiled('seattle-weather.csv');
  assert.deepEqual(r.cleaning, { rowsRead: 1461, secondHeader: null, padded: [], markers: [], caseVariants: [], numbersAsText: [] });
  assert.equal(suggestCleaning(r, 't'), undefined);
});
