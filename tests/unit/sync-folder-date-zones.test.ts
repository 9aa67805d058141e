/**
 * The date layout on machines whose local time is not UTC. The engine renders folders in a child
 * process started with TZ set (as on such a machine); the expected folders are what icloudpd
 * computes, `created.astimezone(get_localzone())`, reproduced with Python's zoneinfo when Python
 * is installed, and a hand-checked table that always runs.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const PROBE = new URL('./folder-date-probe.ts', import.meta.url).pathname;

function engineFolders(zone: string, instants: number[]): string[] {
  const run = spawnSync(process.execPath, ['--import', 'tsx', PROBE, ...instants.map(String)], { env: { ...process.env, TZ: zone }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[];
}

const ICLOUDPD_DATE = `
import sys, json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
zone = ZoneInfo(sys.argv[1])
out = []
for ms in sys.argv[2:]:
    created = datetime.fromtimestamp(int(ms) / 1000, tz=timezone.utc).astimezone(zone)
    out.append(f"{created.year:04d}/{created.month:02d}/{created.day:02d}")
print(json.dumps(out))
`;
const python = spawnSync('python3', ['-c', 'import zoneinfo; zoneinfo.ZoneInfo("Asia/Kolkata")']).status === 0;

function icloudpdFolders(zone: string, instants: number[]): string[] {
  const run = spawnSync('python3', ['-c', ICLOUDPD_DATE, zone, ...instants.map(String)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[];
}

const at = (iso: string) => Date.parse(iso);

/** UTC instant -> folder, by hand from each zone's rules (PST -8 / PDT -7; IST +5:30; Lord Howe +10:30 / +11). */
const HAND_CHECKED: Record<string, Array<[string, string]>> = {
  'America/Los_Angeles': [
    ['2024-01-01T07:59:59.999Z', '2023/12/31'], // 23:59:59.999 PST
    ['2024-01-01T08:00:00.000Z', '2024/01/01'], // midnight PST
    ['2024-03-10T07:59:59.000Z', '2024/03/09'], // 23:59:59 PST, the night DST starts
    ['2024-03-10T08:00:00.000Z', '2024/03/10'], // 00:00 PST
    ['2024-03-10T10:00:00.000Z', '2024/03/10'], // 03:00 PDT (02:xx does not exist)
    ['2024-11-03T06:59:59.000Z', '2024/11/02'], // 23:59:59 PDT
    ['2024-11-03T07:00:00.000Z', '2024/11/03'], // midnight PDT, the night DST ends
    ['2024-11-03T09:30:00.000Z', '2024/11/03'], // 01:30 PST, the second 01:30
    ['2024-11-04T07:59:59.000Z', '2024/11/03'], // 23:59:59 PST
    ['2024-11-04T08:00:00.000Z', '2024/11/04'], // midnight PST
  ],
  'Asia/Kolkata': [
    ['2023-12-31T18:29:59.999Z', '2023/12/31'], // 23:59:59.999 IST
    ['2023-12-31T18:30:00.000Z', '2024/01/01'], // midnight IST
    ['2024-02-28T18:30:00.000Z', '2024/02/29'], // leap day
    ['2024-07-15T00:00:00.000Z', '2024/07/15'], // 05:30 IST
  ],
  'Australia/Lord_Howe': [
    ['2024-04-06T12:59:59.000Z', '2024/04/06'], // 23:59:59 +11
    ['2024-04-06T13:00:00.000Z', '2024/04/07'], // midnight +11; DST ends at 02:00 that night
    ['2024-04-07T13:29:59.000Z', '2024/04/07'], // 23:59:59 +10:30
    ['2024-04-07T13:30:00.000Z', '2024/04/08'], // midnight +10:30
  ],
};

describe('date folders under other time zones, compared with icloudpd', () => {
  for (const [zone, cases] of Object.entries(HAND_CHECKED)) {
    it(`${zone}: midnight and daylight-saving changes land in the local day`, () => {
      expect(engineFolders(zone, cases.map(([iso]) => at(iso)))).toEqual(cases.map(([, folder]) => folder));
    });
  }

  it('every quarter hour around each 2024 change and new year matches Python zoneinfo (icloudpd\'s astimezone)', ({ skip }) => {
    skip(!python, 'python3 with zoneinfo is not installed');
    const starts = ['2024-03-09T00:00:00Z', '2024-11-02T00:00:00Z', '2024-03-30T00:00:00Z', '2024-10-26T00:00:00Z', '2024-04-05T00:00:00Z', '2023-12-31T00:00:00Z'];
    // Every 15 minutes over 3 days from each start, plus the millisecond before each step.
    const instants = starts.flatMap((s) => Array.from({ length: 3 * 96 }, (_, i) => at(s) + i * 15 * 60_000)).flatMap((t) => [t, t - 1]);
    for (const zone of ['America/Los_Angeles', 'Asia/Kolkata', 'Europe/London', 'Australia/Lord_Howe', 'Pacific/Chatham', 'UTC']) {
      expect(engineFolders(zone, instants), zone).toEqual(icloudpdFolders(zone, instants));
    }
  }, 60_000);
});
