/** The pair a (validated) suggestion id names (`<new line>~<line it may replace>`; contracts' suggestionIdOf). */
export function pairOf(suggestionId: string): { lineId: string; replaces: string } {
  const [lineId, replaces] = suggestionId.split('~');
  return { lineId, replaces };
}
