// What a text column holds, judged by content: the share of sampled values matching each
// kind's shape. A kind is named when at least SHARE of the sampled values match, so a
// column of emails with a few typos is still an email column (and personal data).
import { FORMATS } from '../shared/value-formats.ts';
import type { SemanticType } from './types.ts';

export const SHARE = 0.8;

// ISO 3166-1 alpha-2, the codes in use.
const COUNTRIES = ('AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ '
  + 'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE '
  + 'GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP '
  + 'KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF '
  + 'NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN '
  + 'SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA '
  + 'ZM ZW').split(' ');

/** In order of precedence: the first kind over SHARE wins. `values` kinds match a list, not a pattern. */
export const SEMANTIC_KINDS: { kind: Exclude<SemanticType, 'identifier'>; re?: string; values?: string[]; pii: boolean }[] = [
  // The same shapes as the rules' `format` check, so a suggested format rule holds.
  { kind: 'email', re: FORMATS.email, pii: true },
  { kind: 'url', re: FORMATS.url, pii: false },
  { kind: 'uuid', re: FORMATS.uuid, pii: false },
  { kind: 'ip', re: FORMATS.ip, pii: true },
  { kind: 'credit_card', re: '^[0-9]{4}([ -]?[0-9]{4}){2}[ -]?[0-9]{1,7}$', pii: true },
  // Stricter than `format: phone`: groups of digits, so a long numeric code is not a phone.
  { kind: 'phone', re: '^\\+?[0-9]{0,3}[ .-]?\\(?[0-9]{2,4}\\)?([ .-]?[0-9]{2,4}){2,4}$', pii: true },
  { kind: 'postal_code', re: '^([0-9]{5}(-[0-9]{4})?|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}|[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]|[0-9]{4})$', pii: false },
  { kind: 'country', values: COUNTRIES, pii: false },
];

// Column names that usually hold personal data, whatever their values look like.
const PII_NAMES = /(^|[^a-z])(first|last|full|sur|given|user|customer|patient|person|contact)?_?name($|[^a-z])|e-?mail|phone|mobile|address|street|ssn|social.?security|passport|birth|dob|iban|salary/i;

export function semanticOf(shares: Partial<Record<SemanticType, number>>, unique: boolean, patternCount: number): SemanticType | null {
  for (const { kind } of SEMANTIC_KINDS) if ((shares[kind] ?? 0) >= SHARE) return kind;
  // Every value different and one shape for all: a key such as "INV-00042".
  return unique && patternCount === 1 ? 'identifier' : null;
}

export function piiOf(name: string, semantic: SemanticType | null): { pii: boolean; piiReason?: string } {
  const kind = SEMANTIC_KINDS.find((k) => k.kind === semantic);
  if (kind?.pii) return { pii: true, piiReason: `values look like ${semantic!.replace('_', ' ')}s` };
  if (PII_NAMES.test(name)) return { pii: true, piiReason: `the column's name ("${name}") suggests personal data` };
  return { pii: false };
}
