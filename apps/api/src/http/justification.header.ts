/** Moved to libs/platform (ingest reads the header too); kept so in-flight imports resolve. */
export { JUSTIFICATION, Justification, JustificationError, decodeJustification } from '@linewatch/platform';
