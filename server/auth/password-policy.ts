import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

/**
 * Which new passwords are refused: those zxcvbn-ts scores 0 or 1, i.e. guessed in fewer than
 * about a million tries. Its common dictionary holds the most used passwords of public
 * breaches, and its matchers catch what a list cannot: a repeated character ("        ",
 * "aaaaaaaa"), a sequence ("12345678", "abcdefgh"), a keyboard row ("qwertyuiop"), a common
 * word with a digit or a leetspeak change ("password1", "P4ssword"). Long passphrases of
 * ordinary words pass (NIST SP 800-63B: check against known-bad lists, no composition rules).
 */
const MIN_SCORE = 2;

// Loaded and built on first use (about 1 s of CPU here, and some MB): a worker process, or
// a web process nobody signs up on, never pays for it.
let checker: Promise<ZxcvbnFactory> | undefined;
const zxcvbn = () => (checker ??= (async () => {
  const [{ ZxcvbnFactory }, { adjacencyGraphs, dictionary }] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]);
  return new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });
})());

/** zxcvbn's warning keys, said for a person choosing a password. */
const WHY: Record<string, string> = {
  topTen: 'it is one of the ten most used passwords',
  topHundred: 'it is one of the hundred most used passwords',
  common: 'it is a commonly used password',
  similarToCommon: 'it is a small change of a commonly used password',
  simpleRepeat: 'it repeats a character or a short group ("aaaa", "abcabc")',
  extendedRepeat: 'it repeats a group of characters',
  sequences: 'it is a sequence ("1234", "abcd")',
  straightRow: 'it is a row of keys on a keyboard',
  keyPattern: 'it is a short pattern of keys on a keyboard',
  wordByItself: 'it is a single word',
  namesByThemselves: 'it is a name',
  commonNames: 'it is a common name',
  recentYears: 'it is a recent year',
  dates: 'it is a date',
  userInputs: 'it holds your email address',
  pwned: 'it appeared in a data breach',
};

/** Why a new password is refused, or null when it may be used. */
export async function weakPasswordReason(password: string, userInputs: string[] = []): Promise<string | null> {
  const result = (await zxcvbn()).check(password, userInputs);
  if (result.score >= MIN_SCORE) return null;
  const why = (result.feedback.warning && WHY[result.feedback.warning]) || 'it is too easy to guess';
  return `this password would be guessed quickly: ${why}; a few unrelated words make a strong one`;
}
