// The profile alone, to download: as JSON, and as a self-contained HTML document, each with
// the rule results of the workspace's rule cells that check the same table (its quality
// score's rules part, see report.ts's withRuleResults).
import type { DownloadArgs, KindDownload } from '../kind.ts';
import { profileDocument, withRuleResults, type RuleStanding } from './report.ts';
import type { ProfileConfig, ProfileResult } from './types.ts';

async function withRules(args: DownloadArgs<ProfileConfig, ProfileResult>): Promise<ProfileResult> {
  const rules = (await args.checks())
    .filter((c) => c.config.input === args.config.input)
    .flatMap((c) => {
      const outcomes = (c.result as { rules?: RuleStanding[] } | null)?.rules;
      return Array.isArray(outcomes) ? [{ cell: c.name, rules: outcomes }] : [];
    });
  return withRuleResults(args.result, rules);
}

export const profileDownloads: Record<string, KindDownload<ProfileConfig, ProfileResult>> = {
  'profile.json': {
    async make(args) {
      return { type: 'application/json; charset=utf-8', fileName: `${args.cellName}-profile.json`, text: JSON.stringify(await withRules(args)) };
    },
  },
  'profile.html': {
    async make(args) {
      return {
        type: 'text/html; charset=utf-8', fileName: `${args.cellName}-profile.html`, selfContained: true,
        text: profileDocument(args.workspaceTitle, args.cellName, await withRules(args)),
      };
    },
  },
};
