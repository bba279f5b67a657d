/**
 * Numbers for the benchmark's lines: Ofcom's ranges reserved for drama (1,000 numbers each), so no
 * generated row names a real phone. 15 ranges, 15,000 numbers; index `j` wraps round them.
 */
export const DRAMA_PREFIXES = [
  '+447700900', // 07700 900xxx (mobile)
  '+441632960', // 01632 960xxx
  '+442079460', // 020 7946 0xxx
  '+441134960', // 0113 496 0xxx
  '+441144960',
  '+441154960',
  '+441164960',
  '+441174960',
  '+441184960',
  '+441214960',
  '+441314960',
  '+441414960',
  '+441514960',
  '+441614960',
  '+441914980', // 0191 498 0xxx
] as const;

export const DRAMA_NUMBERS = DRAMA_PREFIXES.length * 1000;

/** The j-th fictional number in E.164 (`j` wraps at DRAMA_NUMBERS). */
export function fictionalNumber(j: number): string {
  const i = ((j % DRAMA_NUMBERS) + DRAMA_NUMBERS) % DRAMA_NUMBERS;
  return `${DRAMA_PREFIXES[Math.floor(i / 1000)]}${String(i % 1000).padStart(3, '0')}`;
}

/** The same number as a records system might write it: UK national format with a space (`07700 900123`, `01632 960123`). */
export function nationalForm(e164: string): string {
  const national = `0${e164.slice(3)}`;
  return `${national.slice(0, 5)} ${national.slice(5)}`;
}

/** What line k of the benchmark (`BL-…`) is known by: its own number (national form, as records systems write it) and brand. */
export function benchLineIdentity(k: number): { readonly msisdn: string; readonly brand: string } {
  return { msisdn: nationalForm(fictionalNumber(k)), brand: `Brand${k % 97}` };
}
