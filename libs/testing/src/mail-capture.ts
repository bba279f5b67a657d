import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on a local port that keeps every message it receives, parsed. */
export interface MailCapture {
  /** Every message received so far, in arrival order (the array grows as mail arrives). */
  readonly mails: ParsedMail[];
  close(): Promise<void>;
}

export interface MailCaptureOptions {
  /**
   * Called for each recipient before it is accepted: throw to refuse it (the error's message and
   * `responseCode` go back to the sender), or take your time to answer late.
   */
  readonly onRecipient?: (address: string) => void | Promise<void>;
}

/** Starts an SMTP server (no auth, no STARTTLS) on 127.0.0.1:`port` keeping each mail, parsed with mailparser, in `mails`. */
export async function startMailCapture(port: number, mails: ParsedMail[] = [], options: MailCaptureOptions = {}): Promise<MailCapture> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      Promise.resolve()
        .then(() => options.onRecipient?.(address.address))
        .then(
          () => callback(),
          (error: Error) => callback(error),
        );
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
