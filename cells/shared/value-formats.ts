// What well-formed values of a few kinds look like, shared by the profile's semantic types
// (cells/profile/semantic.ts) and the rules' `format` check (rules/checks.ts): a column the
// profile calls an email column is one whose values pass `format: email`, so a suggested
// format rule holds on the data it was suggested from.
export const FORMATS: Record<string, string> = {
  email: '^[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}$',
  url: '^(?i)https?://[^\\s/$.?#][^\\s]*$',
  uuid: '^(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  ip: '^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$|^(?i)[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}$',
  phone: '^\\+?[0-9][0-9 ().-]{5,}[0-9]$',
  integer: '^[+-]?[0-9]+$',
  decimal: '^[+-]?([0-9]+([.,][0-9]+)?|[.,][0-9]+)$',
};
