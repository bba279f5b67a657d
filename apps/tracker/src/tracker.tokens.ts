/** The tracker's line engine (`LineTimelines`), built from the config's dormancy policy. */
export const LINE_TIMELINES = Symbol('LINE_TIMELINES');
/** The tracker's line-identity keeper (`LineIdentities`). */
export const LINE_IDENTITIES = Symbol('LINE_IDENTITIES');
/** The replacement-suggestion rule with the configured window and neighbours (`ReplacementSuggestions`). */
export const REPLACEMENT_SUGGESTIONS = Symbol('REPLACEMENT_SUGGESTIONS');
