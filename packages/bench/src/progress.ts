/**
 * Progress while suites run: a redrawn bar on a TTY, one line per step otherwise (CI logs). Writes
 * to stderr so stdout stays clean for the report.
 */
export interface Progress {
  /** A new step within the current suite, e.g. "countdown, 2 threads, cpython". */
  step(label: string): void;
  /** Fraction of the current step done, 0..1. */
  update(fraction: number): void;
  done(): void;
}

export function createProgress(
  suite: string,
  stream: NodeJS.WriteStream = process.stderr,
  enabled = true,
): Progress {
  const tty = Boolean(stream.isTTY);
  let label = '';
  const draw = (fraction: number) => {
    if (!enabled || !tty) return;
    const width = 24;
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
    stream.write(`\r\x1b[K${suite} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${label}`);
  };
  return {
    step(next) {
      label = next;
      if (!enabled) return;
      if (tty) draw(0);
      else stream.write(`${suite}: ${label}\n`);
    },
    update: draw,
    done() {
      if (enabled && tty) stream.write('\r\x1b[K');
    },
  };
}

/** A progress sink that prints nothing (library use, tests). */
export const silentProgress: Progress = { step() {}, update() {}, done() {} };
