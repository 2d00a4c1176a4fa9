import cliProgress from 'cli-progress';
import type { Io } from '../io.js';

/** A progress bar on an interactive stderr; nothing at all in pipes, files and CI logs. */
export interface Progress {
  update(value: number): void;
  stop(): void;
}

const silent: Progress = { update() {}, stop() {} };

/**
 * Starts a bar counting to `total` `unit`s, with the rate and ETA.
 *
 * @example
 * const bar = startProgress(io, 'importing', 50_000, 'rows');
 * bar.update(1000);
 * bar.stop();
 */
export function startProgress(io: Io, label: string, total: number, unit: string): Progress {
  if (!io.stderr.isTTY || total <= 0) return silent;
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted}`,
      stream: io.stderr,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rate: 0 });
  return {
    update(value) {
      const seconds = (Date.now() - started) / 1000;
      bar.update(value, { rate: seconds > 0 ? Math.round(value / seconds) : 0 });
    },
    stop() {
      bar.stop();
    },
  };
}
