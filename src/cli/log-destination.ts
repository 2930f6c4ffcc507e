/**
 * Where `purl serve` writes its log: stdout, without blocking, many lines per system call.
 *
 * Lines wait here until `batchChars` of them are gathered or `flush()` is called (each
 * `flushMs`, and at once for the start-up line), then go to pino's asynchronous destination
 * (sonic-boom) as one string. Not sonic-boom's own `minLength`: it measures the UTF-8 length of
 * its whole pending text again at every line, so a line cost 4.3 µs to hand over at 4 KB
 * against 2.4 µs here (1.5 µs of which is pino making the line) — measured on 300,000 request
 * lines. On exit what is left is written synchronously; a kill -9 may lose the last second of
 * lines, never a record.
 */
import { pino, type DestinationStream } from 'pino';

export interface LogDestination extends DestinationStream {
  /** Hands the waiting lines to the destination, which writes them at once (pino's `flush`). */
  flush(done?: (error?: Error) => void): void;
  /** Writes what is left synchronously and lets go of the timer and the exit handlers. */
  close(): void;
}

export function batchedLogDestination(options: {
  fd: number;
  /** Lines are handed over once this many characters wait (UTF-16 units: a threshold only). */
  batchChars: number;
  /** …or at most this long after they were logged. */
  flushMs: number;
}): LogDestination {
  const destination = pino.destination({ dest: options.fd, sync: false });
  let closed = false; // pino ends its destination on `beforeExit`
  destination.once('close', () => {
    closed = true;
  });
  let waiting: string[] = [];
  let waitingChars = 0;
  const handOver = () => {
    if (waiting.length === 0 || closed) return;
    const text = waiting.length === 1 ? waiting[0]! : waiting.join('');
    waiting = [];
    waitingChars = 0;
    destination.write(text);
  };
  const flush = (done?: (error?: Error) => void) => {
    handOver();
    if (closed) done?.();
    else destination.flush(done);
  };
  const writeLeft = () => {
    handOver();
    if (!closed) destination.flushSync();
  };
  const timer = setInterval(() => flush(), options.flushMs).unref();
  // `exit` (process.exit, or the end): what is left is written before the process goes.
  process.on('exit', writeLeft);
  // `beforeExit` (nothing left to do): handed over before pino's own handler ends the stream.
  process.on('beforeExit', handOver);
  return {
    write(line: string) {
      waiting.push(line);
      waitingChars += line.length;
      if (waitingChars >= options.batchChars) handOver();
    },
    flush,
    close() {
      clearInterval(timer);
      process.off('exit', writeLeft);
      process.off('beforeExit', handOver);
      writeLeft();
    },
  };
}
