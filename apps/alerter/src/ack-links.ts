/** Where the per-recipient acknowledgement link goes in stored content; filled in at send time. */
export const ACK_URL_PLACEHOLDER = '{{ackUrl}}';
