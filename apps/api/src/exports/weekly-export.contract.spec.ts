import { EXPORT_FIGURES, EXPORT_SUPPRESSED_MARKER, weeklyExportRowV1 } from '@linewatch/contracts';
import { SUPPRESSED, WEEKLY_FIGURES } from '@linewatch/domain';
import { COLUMNS } from './weekly-export.formats';

// The contract lists the figures itself (libs/contracts may not import libs/domain): kept in step here.
describe('the weekly export contract and the figures the api computes', () => {
  it('names the same figures, in the same order', () => {
    expect([...EXPORT_FIGURES]).toEqual([...WEEKLY_FIGURES]);
  });

  it('has a row of exactly the CSV columns', () => {
    expect(Object.keys(weeklyExportRowV1.shape)).toEqual([...COLUMNS]);
  });

  it('shows a suppressed count as the domain marks it', () => {
    expect(EXPORT_SUPPRESSED_MARKER).toBe(SUPPRESSED);
  });
});
