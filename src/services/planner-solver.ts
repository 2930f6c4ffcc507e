/**
 * HiGHS (the `highs` package: the HiGHS solver compiled to WebAssembly) run in a worker thread,
 * so a solve of a few seconds never blocks the server's event loop. One worker per process,
 * started on first use and unreferenced (it never keeps a CLI alive); the WebAssembly module is
 * compiled once and a fresh solver instance made for every solve (an instance reused across
 * many solves is what the package's past crashes came from). Solves run one at a time; at most
 * `LIMITS.planSolvesQueuedMax` wait, more are refused as busy.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { DomainError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';

export interface SolveOutcome {
  status: string;
  objective: number;
  /** The solver's proven bound on the objective, and the relative gap to it (0: proven best). */
  bound: number;
  gap: number;
  nodes: number;
  /** Column name → primal value. */
  values: Map<string, number>;
  milliseconds: number;
}

/** The worker's code (CommonJS, evaluated): loads highs by the absolute path it is given. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const loader = require(workerData.highsPath);
const compiled = WebAssembly.compile(readFileSync(workerData.wasmPath));
// HiGHS model status codes (HighsModelStatus), by name.
const STATUS = ['Not Set', 'Load error', 'Model error', 'Presolve error', 'Solve error',
  'Postsolve error', 'Empty', 'Optimal', 'Infeasible', 'Primal infeasible or unbounded',
  'Unbounded', 'Bound on objective reached', 'Target for objective reached',
  'Time limit reached', 'Iteration limit reached', 'Unknown', 'Solution limit reached',
  'Interrupted'];
const info = (m, name) => { try { return Number(m.info.get(name)); } catch { return NaN; } };
parentPort.on('message', async ({ id, lp, options, start }) => {
  const started = performance.now();
  try {
    const highs = await loader({ wasmModule: await compiled });
    const answer = highs.withModel({ format: 'lp', data: lp }, (m) => {
      m.options.set(options);
      if (start && start.length > 0) {
        const index = new Map();
        const n = m.getDimensions().numCols;
        for (let i = 0; i < n; i++) index.set(m.getColName(i), i);
        const entries = start.filter(([name]) => index.has(name))
          .map(([name, v]) => [index.get(name), v]).sort((a, b) => a[0] - b[0]);
        m.setSolution({ indices: entries.map((e) => e[0]), values: entries.map((e) => e[1]) });
      }
      const run = m.run();
      const solution = m.getSolution();
      const values = [];
      for (let i = 0; i < solution.colValue.length; i++) {
        const v = solution.colValue[i];
        if (v !== 0 && Number.isFinite(v)) values.push([m.getColName(i), v]);
      }
      return { status: STATUS[run.modelStatus] || String(run.modelStatus),
        objective: info(m, 'objective_function_value'), bound: info(m, 'mip_dual_bound'),
        gap: info(m, 'mip_gap'), nodes: info(m, 'mip_node_count'), values };
    });
    parentPort.postMessage({ id, ...answer, milliseconds: performance.now() - started });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

interface Pending {
  resolve: (outcome: SolveOutcome) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

function startWorker(): Worker {
  const require = createRequire(import.meta.url);
  const w = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      highsPath: require.resolve('highs'),
      wasmPath: require.resolve('highs/runtime'),
    },
  });
  w.unref();
  w.on(
    'message',
    (
      m: { id: number; error?: string } & Omit<SolveOutcome, 'values'> & {
          values: [string, number][];
        },
    ) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.error !== undefined) {
        p.reject(new DomainError('PLAN_SOLVER_FAILED', `The solver failed: ${m.error}`));
        return;
      }
      p.resolve({ ...m, values: new Map(m.values) });
    },
  );
  const fail = (error: Error): void => {
    if (worker === w) worker = undefined;
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new DomainError('PLAN_SOLVER_FAILED', `The solver stopped: ${error.message}`));
      pending.delete(id);
    }
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  return w;
}

/**
 * Solves a CPLEX-LP-format mixed-integer program. The solver stops itself at `timeLimitSeconds`
 * with the best answer found; a worker that does not answer 10 s after that is ended.
 */
export async function solveLp(
  lp: string,
  options: { timeLimitSeconds: number; relativeGap: number; start?: ReadonlyMap<string, number> },
): Promise<SolveOutcome> {
  if (pending.size > LIMITS.planSolvesQueuedMax) {
    throw new DomainError('PLANNER_BUSY', undefined, { queued: pending.size });
  }
  worker ??= startWorker();
  const w = worker;
  const id = nextId++;
  return new Promise<SolveOutcome>((resolve, reject) => {
    // Solves queue in the worker; the watchdog allows for those ahead of this one.
    const waitMs = (options.timeLimitSeconds + 10) * 1000 * (pending.size + 1);
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new DomainError('PLAN_SOLVER_FAILED', 'The solver did not answer in time.'));
      if (worker === w) {
        worker = undefined;
        void w.terminate();
      }
    }, waitMs);
    timer.unref();
    pending.set(id, { resolve, reject, timer });
    w.postMessage({
      id,
      lp,
      start: options.start ? [...options.start] : [],
      options: {
        time_limit: options.timeLimitSeconds,
        mip_rel_gap: options.relativeGap,
        output_flag: false,
      },
    });
  });
}

/** Ends the worker (tests, and a CLI that wants to exit at once). */
export async function stopSolver(): Promise<void> {
  const w = worker;
  worker = undefined;
  if (w) await w.terminate();
}
