/** The tracker's line engine (`LineTimelines`), built from the config's dormancy policy. */
export const LINE_TIMELINES = Symbol('LINE_TIMELINES');
