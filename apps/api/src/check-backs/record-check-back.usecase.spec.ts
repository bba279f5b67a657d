import { z } from 'zod';
import { sightingIdOf } from './record-check-back.usecase';

describe('the sighting an in_use check-back is published as', () => {
  it('is named by its check-back: the same id for the same check-back, another for another, a UUID intake takes', () => {
    const a = sightingIdOf('5b0c6a36-9d0e-4a59-8f7e-2f4f3f0c1d11');
    expect(sightingIdOf('5b0c6a36-9d0e-4a59-8f7e-2f4f3f0c1d11')).toBe(a);
    expect(sightingIdOf('0f6d1c2e-3b4a-4c5d-8e9f-a0b1c2d3e4f5')).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // What intake's contract asks of an eventId (z.uuid: RFC 9562 version and variant).
    expect(z.uuid().safeParse(a).success).toBe(true);
  });
});
