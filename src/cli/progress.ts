/**
 * Progress of long CLI work on stderr: a bar per phase when stderr is a terminal; otherwise (a
 * log, a pipe) a line at the start of each phase and at every quarter, so logs stay short.
 */
import cliProgress from 'cli-progress';

export interface PhaseProgress {
  phase: string;
  done: number;
  total: number;
}

export interface PhaseProgressReporter<P extends PhaseProgress = PhaseProgress> {
  update: (p: P) => void;
  stop: () => void;
}

export function phaseProgressReporter<P extends PhaseProgress>(
  label: (phase: P['phase']) => string,
): PhaseProgressReporter<P> {
  if (process.stderr.isTTY) {
    let bar: cliProgress.SingleBar | undefined;
    let phase: P['phase'] | undefined;
    const stop = () => {
      bar?.stop();
      bar = undefined;
    };
    return {
      update(p) {
        if (p.phase !== phase) {
          stop();
          phase = p.phase;
          bar = new cliProgress.SingleBar(
            {
              stream: process.stderr,
              format: `${label(p.phase).padEnd(15)} [{bar}] {percentage}% | {value}/{total}`,
              hideCursor: true,
              clearOnComplete: false,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.total, p.done);
        } else {
          bar?.update(p.done);
        }
      },
      stop,
    };
  }
  let reported = '';
  return {
    update(p) {
      const quarter = p.total === 0 ? 4 : Math.floor((p.done * 4) / p.total);
      const key = `${p.phase}:${quarter}`;
      if (key === reported) return;
      reported = key;
      process.stderr.write(`${label(p.phase)}: ${p.done}/${p.total} (${quarter * 25}%)\n`);
    },
    stop() {},
  };
}
