import { Lexer } from 'yaml';

// The yaml package's parser takes seconds on a few hundred KB of nesting (`[[[[…`, `- - - …`,
// `? ? ? …`; measured: 240 KB of `[` 2.4 s, 120,000 `- ` 2.1 s, 100,000 `? ` over a minute),
// on the event loop. Its lexer is linear (those same texts: 90–320 ms whole, and this stops
// at the first token past the limit), so nesting is measured on tokens before any parse.
// Deep block nesting by indentation is not slow (700 levels: 39 ms) and is not counted.
export const MAX_YAML_NESTING = 64;

export interface YamlShapeProblem {
  message: string;
  line: number;
}

/** Why `text` nests too deeply to be parsed, with the line where it passes the limit; null when it does not. */
export function yamlNestingProblem(text: string, max = MAX_YAML_NESTING): YamlShapeProblem | null {
  let flow = 0;
  let onLine = 0;
  let line = 1;
  for (const token of new Lexer().lex(text)) {
    switch (token) {
      case '[': case '{': flow++; break;
      case ']': case '}': flow = Math.max(0, flow - 1); break;
      // Block indicators written on one line (`- - x`, `? ? x`) each open a level.
      case '-': case '?': onLine++; break;
      default:
        if (token.includes('\n')) {
          onLine = 0;
          line += token.split('\n').length - 1;
        }
    }
    if (flow + onLine > max) {
      return { message: `the YAML nests more than ${max} levels deep at line ${line}`, line };
    }
  }
  return null;
}
