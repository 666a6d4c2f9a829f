// The profile alone, to download: as JSON, and as a self-contained HTML document, each with
// the rule results of the workspace's rule cells that check the same table (its quality
// score's rules part, see report.ts's withChecks; the page's score is the same).
import type { DownloadArgs, KindDownload } from '../kind.ts';
import { profileDocument, withChecks } from './report.ts';
import type { ProfileConfig, ProfileResult } from './types.ts';

async function withRules(args: DownloadArgs<ProfileConfig, ProfileResult>): Promise<ProfileResult> {
  const checks = (await args.checks()).map((c) => ({ name: c.name, input: c.config.input, result: c.result }));
  return withChecks(args.result, args.config.input, checks);
}

export const profileDownloads: Record<string, KindDownload<ProfileConfig, ProfileResult>> = {
  'profile.json': {
    about: {
      summary: 'a profile cell\'s latest result as a JSON file, its quality score with the rule results on the same table (409 before a result)',
      holds: 'the profile result', type: 'application/json',
    },
    async make(args) {
      return { type: 'application/json; charset=utf-8', fileName: `${args.cellName}-profile.json`, text: JSON.stringify(await withRules(args)) };
    },
  },
  'profile.html': {
    about: { summary: 'a profile cell\'s latest result as a self-contained HTML document (409 before a result)', holds: 'the document', type: 'text/html' },
    async make(args) {
      return {
        type: 'text/html; charset=utf-8', fileName: `${args.cellName}-profile.html`, selfContained: true,
        text: profileDocument(args.workspaceTitle, args.cellName, await withRules(args)),
      };
    },
  },
};
