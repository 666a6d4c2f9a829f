import assert from 'node:assert/strict';
import { test } from 'node:test';
import { headingOf } from './heading.ts';

test('a cell name reads as a heading', () => {
  const cases: [string, string][] = [
    ['cases_by_continent', 'Cases by continent'],
    ['weather', 'Weather'],
    ['byWeather', 'By Weather'],
    ['rules-2024', 'Rules 2024'],
    ['_', '_'],
    ['chart1', 'Chart1'],
  ];
  for (const [name, heading] of cases) assert.equal(headingOf(name), heading, name);
});
