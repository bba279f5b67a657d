import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, defaultAlertRoutingFile, defaultAreasFile, loadAlertRouting, loadAreas, type AreasConfig } from '@linewatch/config';

const dir = mkdtempSync(join(tmpdir(), 'linewatch-alert-routing-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

const AREAS: AreasConfig = loadAreas(
  file('areas.json', {
    areas: [
      { code: 'bath', name: 'Bath', neighbourhoodTeam: 'bath-npt' },
      { code: 'paulton', name: 'Paulton', neighbourhoodTeam: 'somer-valley-npt' },
      { code: 'radstock', name: 'Radstock', neighbourhoodTeam: 'somer-valley-npt' },
    ],
  }),
);

const recipient = (id: string, extra: Record<string, unknown> = { email: `${id}@example.invalid` }) => ({
  id,
  name: `Demo ${id}`,
  ...extra,
});
const levels = () => [
  { level: 1, name: 'neighbourhood officers', afterMinutes: 0, recipients: [recipient('pc-one'), recipient('pc-two')] },
  { level: 2, name: 'sergeant', afterMinutes: 15, recipients: [recipient('sergeant')] },
];
const team = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: `Team ${id}`, levels: levels(), ...extra });
const valid = (extra: Record<string, unknown> = {}) => ({ teams: [team('bath-npt'), team('somer-valley-npt')], ...extra });
/** A valid file with the first team's fields replaced. */
const withTeam = (extra: Record<string, unknown>) => ({ teams: [team('bath-npt', extra), team('somer-valley-npt')] });
const withLevels = (given: unknown[]) => withTeam({ levels: given });

describe('loadAlertRouting', () => {
  it('given the shipped file and the shipped areas, then it loads and routes every area to a team with escalation levels', () => {
    const areas = loadAreas(defaultAreasFile());
    const routing = loadAlertRouting(defaultAlertRoutingFile(), areas);
    const teamIds = new Set(routing.teams.map((t) => t.id));

    expect(Object.keys(routing.teamOfArea).sort()).toEqual([...areas.codes].sort());
    for (const area of areas.areas) expect(teamIds).toContain(routing.teamOfArea[area.code]);
    for (const t of routing.teams)
      expect(t.levels.map((l) => [l.level, l.afterMinutes])).toEqual([
        [1, 0],
        [2, 15],
        [3, 45],
      ]);
  });

  it('given the shipped file, then every recipient is fictional (example.invalid, a local webhook)', () => {
    const routing = loadAlertRouting(defaultAlertRoutingFile(), loadAreas(defaultAreasFile()));
    const recipients = routing.teams.flatMap((t) => t.levels.flatMap((l) => l.recipients));

    const emails = recipients.flatMap((r) => (r.email === undefined ? [] : [r.email]));
    const webhooks = recipients.flatMap((r) => (r.webhookUrl === undefined ? [] : [r.webhookUrl]));

    expect(recipients.length).toBeGreaterThan(0);
    expect(emails.filter((e) => !/@example\.invalid$/.test(e))).toEqual([]);
    expect(webhooks.filter((w) => !/^http:\/\/127\.0\.0\.1:\d+\//.test(w))).toEqual([]);
  });

  it('given a file that leaves the optional settings out, then the defaults apply', () => {
    const routing = loadAlertRouting(file('defaults.json', valid()), AREAS);

    expect(routing).toMatchObject({
      severityByKind: { resurfaced: 'high', reactivated: 'high', new: 'medium', disrupted: 'medium', closed: 'low', went_dormant: 'low' },
      referralsRaiseSeverity: true,
      digestWindowSeconds: 120,
      digestMinimumAlerts: 3,
      digestWaitSeconds: 10,
      recentAreaDays: 90,
      teamOfArea: { bath: 'bath-npt', paulton: 'somer-valley-npt', radstock: 'somer-valley-npt' },
    });
    expect(routing).not.toHaveProperty('$comment');
  });

  it('given recentAreaDays null, then every area the line ever had evidence in is routed (no window)', () => {
    expect(loadAlertRouting(file('all-areas.json', valid({ recentAreaDays: null })), AREAS).recentAreaDays).toBeNull();
    expect(() => loadAlertRouting(file('bad-window.json', valid({ recentAreaDays: 0 })), AREAS)).toThrow(/recentAreaDays/);
  });

  it('given a file setting some kinds and the other settings, then they override the defaults kind by kind', () => {
    const routing = loadAlertRouting(
      file(
        'overrides.json',
        valid({
          $comment: 'test',
          severityByKind: { new: 'critical' },
          referralsRaiseSeverity: false,
          digestWindowSeconds: 300,
          digestMinimumAlerts: 5,
        }),
      ),
      AREAS,
    );

    expect(routing).toMatchObject({
      severityByKind: { new: 'critical', resurfaced: 'high', went_dormant: 'low' },
      referralsRaiseSeverity: false,
      digestWindowSeconds: 300,
      digestMinimumAlerts: 5,
    });
  });

  it('given quiet hours without a time zone, then Europe/London applies', () => {
    const routing = loadAlertRouting(
      file('quiet.json', withTeam({ quietHours: { from: '23:00', to: '06:00', minimumSeverity: 'high' } })),
      AREAS,
    );

    expect(routing.teams[0].quietHours).toEqual({ from: '23:00', to: '06:00', timeZone: 'Europe/London', minimumSeverity: 'high' });
  });

  it('given a loaded file, then it is deeply frozen', () => {
    const routing = loadAlertRouting(file('frozen.json', valid()), AREAS);

    expect(Object.isFrozen(routing)).toBe(true);
    expect(Object.isFrozen(routing.severityByKind)).toBe(true);
    expect(Object.isFrozen(routing.teamOfArea)).toBe(true);
    expect(Object.isFrozen(routing.teams[0].levels[0].recipients[0])).toBe(true);
  });

  it.each<[string, unknown, RegExp]>([
    ['not JSON', '{teams', /cannot read/],
    ['no teams', { teams: [] }, /teams: at least one team/],
    ['an unknown top-level field', valid({ recipients: [] }), /\(file\): Unrecognized key: "recipients"/],
    [
      'a duplicate team id',
      { teams: [team('bath-npt'), team('somer-valley-npt'), team('bath-npt')] },
      /teams\.2\.id: team ids must be unique/,
    ],
    ['an area whose team is missing', { teams: [team('bath-npt')] }, /teams: area "paulton" has neighbourhoodTeam "somer-valley-npt"/],
    ['a team without levels', withLevels([]), /teams\.0\.levels: a team needs at least one escalation level/],
    [
      'levels out of order',
      withLevels([levels()[0], { level: 3, name: 'inspector', afterMinutes: 45, recipients: [recipient('insp')] }]),
      /teams\.0\.levels\.1\.level: levels are numbered 1\.\.n in order: expected 2/,
    ],
    [
      'level 1 after a delay',
      withLevels([{ ...levels()[0], afterMinutes: 5 }, levels()[1]]),
      /teams\.0\.levels\.0\.afterMinutes: level 1 is alerted at once/,
    ],
    [
      'afterMinutes not increasing',
      withLevels([levels()[0], { ...levels()[1], afterMinutes: 0 }]),
      /teams\.0\.levels\.1\.afterMinutes: afterMinutes must increase/,
    ],
    [
      'a level without recipients',
      withLevels([levels()[0], { ...levels()[1], recipients: [] }]),
      /teams\.0\.levels\.1\.recipients: each level needs at least one recipient/,
    ],
    [
      'a recipient with no e-mail and no webhook',
      withLevels([{ ...levels()[0], recipients: [recipient('pc-one', {})] }]),
      /teams\.0\.levels\.0\.recipients\.0: a recipient needs an email or a webhookUrl/,
    ],
    [
      'a bad e-mail',
      withLevels([{ ...levels()[0], recipients: [recipient('pc-one', { email: 'not an address' })] }]),
      /teams\.0\.levels\.0\.recipients\.0\.email: expected an e-mail address/,
    ],
    [
      'a webhook that is not http(s)',
      withLevels([{ ...levels()[0], recipients: [recipient('pc-one', { webhookUrl: 'file:///etc/passwd' })] }]),
      /teams\.0\.levels\.0\.recipients\.0\.webhookUrl: expected an http\(s\) URL/,
    ],
    [
      'a recipient id used twice in a team',
      withLevels([levels()[0], { ...levels()[1], recipients: [recipient('pc-one')] }]),
      /teams\.0\.levels\.1\.recipients\.0\.id: recipient id "pc-one" already used at levels\.0\.recipients\.0/,
    ],
    [
      'an unknown recipient field',
      withLevels([{ ...levels()[0], recipients: [recipient('pc-one', { email: 'a@example.invalid', phone: '07700900123' })] }]),
      /teams\.0\.levels\.0\.recipients\.0: Unrecognized key: "phone"/,
    ],
    [
      'quiet hours not HH:MM',
      withTeam({ quietHours: { from: '11pm', to: '06:00', minimumSeverity: 'high' } }),
      /teams\.0\.quietHours\.from: expected a wall-clock time "HH:MM"/,
    ],
    [
      'quiet hours at 24:00',
      withTeam({ quietHours: { from: '22:00', to: '24:00', minimumSeverity: 'high' } }),
      /teams\.0\.quietHours\.to: expected a wall-clock time "HH:MM"/,
    ],
    [
      'an empty quiet-hours window',
      withTeam({ quietHours: { from: '06:00', to: '06:00', minimumSeverity: 'high' } }),
      /teams\.0\.quietHours\.to: from and to must differ/,
    ],
    [
      'an unknown time zone',
      withTeam({ quietHours: { from: '23:00', to: '06:00', timeZone: 'Europe/Avalon', minimumSeverity: 'high' } }),
      /teams\.0\.quietHours\.timeZone: expected an IANA time zone/,
    ],
    [
      'an unknown severity',
      withTeam({ quietHours: { from: '23:00', to: '06:00', minimumSeverity: 'urgent' } }),
      /teams\.0\.quietHours\.minimumSeverity/,
    ],
    ['an unknown transition kind', valid({ severityByKind: { revived: 'high' } }), /severityByKind: Unrecognized key: "revived"/],
    [
      'a team override of an unknown kind',
      withTeam({ severityOverrides: { dormant: 'low' } }),
      /teams\.0\.severityOverrides: Unrecognized key/,
    ],
    ['a digest window of 0', valid({ digestWindowSeconds: 0 }), /digestWindowSeconds: must be a positive number of seconds/],
    [
      'a team digest window of -1',
      withTeam({ digestWindowSeconds: -1 }),
      /teams\.0\.digestWindowSeconds: must be a positive number of seconds/,
    ],
    ['a digest of one alert', valid({ digestMinimumAlerts: 1 }), /digestMinimumAlerts/],
  ])('given %s, when it is loaded, then it is refused with the problem and ALERT_ROUTING_FILE', (name, content, reason) => {
    const path = file(`${name}.json`, content);

    expect(() => loadAlertRouting(path, AREAS)).toThrow(ConfigError);
    expect(() => loadAlertRouting(path, AREAS)).toThrow(reason);
    expect(() => loadAlertRouting(path, AREAS)).toThrow(/ALERT_ROUTING_FILE/);
  });

  it('given a file with several problems, when it is loaded, then every one is reported', () => {
    const path = file(
      'several.json',
      valid({
        digestWindowSeconds: 0,
        teams: [team('bath-npt', { levels: [{ ...levels()[0], afterMinutes: 5 }] }), team('somer-valley-npt', { name: '' })],
      }),
    );

    const problems = (() => {
      try {
        loadAlertRouting(path, AREAS);
        return [];
      } catch (error) {
        return error instanceof ConfigError ? error.problems : [String(error)];
      }
    })();
    expect(problems).toEqual([
      expect.stringMatching(/^ALERT_ROUTING_FILE \(.*several\.json\) digestWindowSeconds:/),
      expect.stringMatching(/^ALERT_ROUTING_FILE \(.*several\.json\) teams\.0\.levels\.0\.afterMinutes:/),
      expect.stringMatching(/^ALERT_ROUTING_FILE \(.*several\.json\) teams\.1\.name:/),
    ]);
  });
});

describe('loadAlertRouting: the intelligence team (closure check-back reminders)', () => {
  const intel = (extra: Record<string, unknown> = {}) => ({
    id: 'intelligence',
    name: 'Force intelligence bureau',
    recipients: [recipient('bureau', { email: 'intel.bureau@example.invalid' })],
    ...extra,
  });

  it('given none, then it loads with no intelligence team (no reminders are sent)', () => {
    expect(loadAlertRouting(file('no-intel.json', valid()), AREAS).intelligenceTeam).toBeNull();
  });

  it('given one, then its recipients are loaded', () => {
    expect(loadAlertRouting(file('intel.json', valid({ intelligenceTeam: intel() })), AREAS).intelligenceTeam).toEqual({
      id: 'intelligence',
      name: 'Force intelligence bureau',
      recipients: [{ id: 'bureau', name: 'Demo bureau', email: 'intel.bureau@example.invalid' }],
    });
  });

  it('given the shipped file, then it names a fictional intelligence team', () => {
    const routing = loadAlertRouting(defaultAlertRoutingFile(), loadAreas(defaultAreasFile()));
    expect(routing.intelligenceTeam?.recipients.length).toBeGreaterThan(0);
    const emails = (routing.intelligenceTeam?.recipients ?? []).flatMap((r) => (r.email ? [r.email] : []));
    expect(emails.filter((e) => !e.endsWith('@example.invalid'))).toEqual([]);
  });

  it.each([
    ['no recipients', intel({ recipients: [] }), /intelligenceTeam\.recipients: the intelligence team needs at least one recipient/],
    ['a recipient with no channel', intel({ recipients: [{ id: 'x', name: 'X' }] }), /intelligenceTeam\.recipients\.0/],
    [
      'an officer as recipient',
      intel({ recipients: [recipient('pc', { email: 'PC-ONE@example.invalid' })] }),
      /intelligenceTeam\.recipients\.0\.email: PC-ONE@example\.invalid is also a recipient of team "bath-npt".*not to officers/,
    ],
    ['a neighbourhood team id', intel({ id: 'bath-npt' }), /intelligenceTeam\.id: "bath-npt" is also a neighbourhood team id/],
    ['an unknown field', intel({ escalate: true }), /intelligenceTeam/],
  ])('given %s, then the file is refused naming the problem', (_, given, reason) => {
    const path = file('bad-intel.json', valid({ intelligenceTeam: given }));
    expect(() => loadAlertRouting(path, AREAS)).toThrow(ConfigError);
    expect(() => loadAlertRouting(path, AREAS)).toThrow(reason);
  });
});
