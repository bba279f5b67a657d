import { developmentSubject } from './access-token';

describe('developmentSubject (the subject of a development token made without --subject)', () => {
  it.each([
    [['ingest'], [], 'dev-ingest'],
    [['officer'], ['bath'], 'dev-officer-bath'],
    [['officer'], ['paulton', 'bath'], 'dev-officer-bath-paulton'],
    [['officer', 'analyst'], [], 'dev-analyst-officer'],
    [['analyst', 'analyst'], [], 'dev-analyst'],
  ])('roles %j and areas %j → %s', (roles, areas, subject) => {
    expect(developmentSubject(roles, areas)).toBe(subject);
  });

  it('gives tokens of different roles or areas different subjects, so each has its own rate-limit budget', () => {
    const subjects = [
      developmentSubject(['officer'], ['bath']),
      developmentSubject(['officer'], ['keynsham']),
      developmentSubject(['analyst'], []),
    ];
    expect(new Set(subjects).size).toBe(subjects.length);
  });
});
