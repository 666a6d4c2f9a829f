// Schedules in tests fire once, soon: an every-second expression fires once per minute slot
// (pg-boss's resolution), so a second firing could come while the test reads the first run,
// and its run supersedes that run's cells (seen once in ten: a finished run with no results).

/**
 * A six-field cron expression (seconds first, UTC) that fires once, `inSeconds` from now, and
 * not again for a day. pg-boss sends an occurrence up to 60 s late, so one that passes while
 * the schedule is still being stored on a slow machine fires all the same.
 */
export function onceSoon(inSeconds = 2): string {
  const at = new Date(Date.now() + inSeconds * 1000);
  return `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`;
}
