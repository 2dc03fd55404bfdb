/**
 * npm run bench — every timing pod2sfn claims (issue 13), each beside a floor measured in the same run
 * on the same machine, with the ratio and whether its target is met. Needs `npm run build` first (the
 * npm script does it); runs in about two minutes. Sections:
 *   floors      node -e "", shell / Node / unshare / bwrap spawn loops, parallel Node spawns
 *   sequential  `pod2sfn run` of N = 1, 10, 100, 300 init containers: the per-container cost
 *   parallel    W = 1, 10, 50 app containers of `sleep 1`
 *   engine      a Task transition on pod2sfn's ASL (fake runtime) vs a minimal N-Task machine
 *   live view   per-step cost with live lines vs quiet, N = 10, 100, 300 (fake runtime)
 *   start-up    --version, --help, validate, synth, graph, run of 1 + 1 trivial containers
 *   compile     in-process, seed and corpus, and 100 / 200 / 400 containers (linearity)
 *   modules     module-load time per dependency, each in a fresh node
 *   volumes     emptyDir save and restore through LocalStack's S3 vs tar and plain S3 calls (skipped without it)
 */
// The bench makes AWS SDK clients in-process (the handoff rows), as the CLI does: the same quiet start-up.
import '../lib/cli/sdk-warning.js';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { LiveView } from '../lib/cli/live.js';
import { compile } from '../lib/compile.js';
import { loadEngine } from '../lib/local/engine.js';
import { runPod } from '../lib/local/run-pod.js';
import { PREPARED_AHEAD, type ContainerRuntime } from '../lib/local/runtime.js';
import { RELEASE, sandboxArgv, sandboxAvailable } from '../lib/local/sandbox.js';
import {
  available,
  median,
  ms,
  printTable,
  run,
  sequential,
  sequentialAhead,
  time,
  timeAsync,
  us,
  verdict,
  type Row,
} from './measure.js';
import { minimalChain, podYaml } from './pods.js';
import { volumeHandoffBench } from './volume-handoff.js';

const BIN = 'dist/bin/pod2sfn.js';
const node = process.execPath;
const dir = mkdtempSync(join(tmpdir(), 'pod2sfn-bench-'));
const spec = (name: string, text: string) => {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, text);
  return path;
};
const cli = (...args: string[]) => run([node, BIN, ...args]);
/** The CLI refusing its input (exit 2): what a refusal costs. */
const refused = (...args: string[]) => run([node, BIN, ...args], 2);

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(`pod2sfn bench on ${cpus().length} cores, node ${process.version}; load average at start: ${load()}`);
console.log('Every figure is a median; a floor is measured in this same run. On a loaded machine, read the ratios.');

try {
  // ---- floors ----
  const nodeBare = time(run([node, '-e', '']), 9, true);
  const LOOP = 100;
  const shellLoop = time(run(['sh', '-c', `i=0; while [ $i -lt ${LOOP} ]; do /bin/true; i=$((i+1)); done`]), 3) / LOOP;
  const nodeSpawn = (await timeAsync(() => sequential(['sh', '-c', 'true'], LOOP), 3, true)) / LOOP;
  const unshareArgv = [
    'unshare',
    '--user',
    '--map-root-user',
    '--mount',
    '--pid',
    '--fork',
    '--kill-child',
    'sh',
    '-c',
    'true',
  ];
  const unshareSpawn = available(unshareArgv)
    ? (await timeAsync(() => sequential(unshareArgv, LOOP), 3, true)) / LOOP
    : undefined;
  const termination = join(dir, 'termination-log');
  writeFileSync(termination, '');
  // pod2sfn's sandbox argv for `sh -c true` (the gate and the command at its end).
  const gatedArgv = sandboxAvailable()
    ? sandboxArgv({
        hostname: 'bench',
        gate: true,
        mounts: [{ source: termination, target: '/dev/termination-log', readOnly: false }],
        argv: ['sh', '-c', 'true'],
      })
    : undefined;
  // Each sandbox built at its container's start and released at once, its output and --info-fd piped,
  // waited for until every pipe closed: what pod2sfn's sandbox costs without building ahead.
  const bwrapFresh = gatedArgv
    ? (await timeAsync(() => sequentialAhead(gatedArgv, LOOP, RELEASE, 0), 3, true)) / LOOP
    : undefined;
  // The next PREPARED_AHEAD sandboxes built while one runs, each released when the one before is done
  // (what pod2sfn does).
  const bwrapAhead = gatedArgv
    ? (await timeAsync(() => sequentialAhead(gatedArgv, LOOP, RELEASE, PREPARED_AHEAD), 3, true)) / LOOP
    : undefined;
  const parallelFloor = (w: number) =>
    time(
      run([
        node,
        '-e',
        `const { spawn } = require('node:child_process');
    let n = ${w}; for (let i = 0; i < ${w}; i++) spawn('sleep', ['1']).on('exit', () => --n || process.exit(0));`,
      ]),
      1,
    );
  printTable('floors', [
    { what: 'node -e ""', value: ms(nodeBare) },
    { what: `shell loop, per /bin/true (${LOOP})`, value: ms(shellLoop, 2) },
    { what: `Node spawn loop, per sh -c true (${LOOP})`, value: ms(nodeSpawn, 2) },
    {
      what: `Node spawn of unshare (user, mount, pid) sh -c true (${LOOP})`,
      value: unshareSpawn === undefined ? 'n/a' : ms(unshareSpawn, 2),
    },
    {
      what: `bwrap, pod2sfn's sandbox built at each start, sh -c true (${LOOP})`,
      value: bwrapFresh === undefined ? 'n/a (no bwrap)' : ms(bwrapFresh, 2),
      ...(bwrapFresh !== undefined &&
        unshareSpawn !== undefined && { ratio: `+${ms(bwrapFresh - unshareSpawn, 2)} over unshare` }),
    },
    {
      what: `bwrap floor: the next ${PREPARED_AHEAD} sandboxes built while one runs, each then released (${LOOP})`,
      value: bwrapAhead === undefined ? 'n/a (no bwrap)' : ms(bwrapAhead, 2),
      ...(bwrapAhead !== undefined &&
        unshareSpawn !== undefined && { ratio: `${ms(bwrapAhead - unshareSpawn, 2)} from unshare` }),
    },
  ]);

  // ---- sequential containers through the CLI, each beside floors measured right after it ----
  const runtime = sandboxAvailable() ? 'host' : undefined;
  const sequentialRows: Row[] = [];
  if (runtime) {
    const one = spec('seq-1', podYaml('seq-1', 1, 1));
    for (const n of [10, 100, 300]) {
      const file = spec(`seq-${n}`, podYaml(`seq-${n}`, n, 1));
      const samples = n >= 100 ? 1 : 3;
      const per =
        (time(cli('run', file, '--runtime', 'host', '--quiet'), samples, true) -
          time(cli('run', one, '--runtime', 'host', '--quiet'), 3)) /
        (n - 1);
      const unshare =
        unshareSpawn === undefined ? undefined : (await timeAsync(() => sequential(unshareArgv, n), samples)) / n;
      const bwrap = gatedArgv
        ? (await timeAsync(() => sequentialAhead(gatedArgv, n, RELEASE, PREPARED_AHEAD), samples)) / n
        : undefined;
      const floor = unshare ?? nodeSpawn;
      sequentialRows.push({
        what: `per init container, sh -c true, N = ${n}`,
        value: ms(per, 2),
        floor: `unshare ${ms(floor, 2)}; bwrap floor ${bwrap === undefined ? 'n/a' : ms(bwrap, 2)}`,
        ratio:
          `${(per / floor).toFixed(2)}× unshare; ` +
          `${bwrap === undefined ? '' : `+${ms(per - bwrap, 2)} over the bwrap floor`}`,
        ...(n === 300 && { target: verdict(per - floor <= 1, 'within 1 ms of the unshare floor') }),
      });
    }
  }
  printTable(
    'sequential containers (pod2sfn run --runtime host --quiet: ' +
      '(run(N) − run(1)) / (N − 1); floors: N spawns right after)',
    sequentialRows,
  );

  // ---- parallel app containers ----
  const parallelRows: Row[] = [];
  if (runtime) {
    for (const w of [1, 10, 50]) {
      const file = spec(`par-${w}`, podYaml(`par-${w}`, 0, w, 'sleep 1'));
      // Interleaved, so that both see the same load.
      const walls: number[] = [];
      const floors: number[] = [];
      for (let i = 0; i < 3; i++) {
        walls.push(time(cli('run', file, '--runtime', 'host', '--quiet'), 1));
        floors.push(parallelFloor(w));
      }
      const wall = median(walls);
      const floor = median(floors);
      parallelRows.push({
        what: `${w} app container${w > 1 ? 's' : ''} sleep 1, side by side`,
        value: ms(wall, 0),
        floor: `${ms(floor, 0)} (a node spawning ${w} sleep 1)`,
        ratio: `${(wall / floor).toFixed(2)}×`,
        ...(w === 50 && { target: verdict(wall / floor <= 1.3, 'within 1.3× of the parallel-spawn floor') }),
      });
    }
  }
  printTable('parallel containers', parallelRows);

  // ---- engine and live view, in this process, with a runtime whose containers exit at once ----
  const instant: ContainerRuntime = {
    name: 'host',
    start: async () => ({ exited: Promise.resolve({ exitCode: 0 }), stop: async () => ({ exitCode: 0 }) }),
    close: async () => {},
  };
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const pods = new Map(
    [10, 100, 300].map((n) => [n, compile(podYaml(`view-${n}`, n, 1), { target: 'local' }).compiled!]),
  );
  /** A run on the engine: `none` with no Pod status at all, `quiet` with the status tracked, `live` printing lines. */
  const inProcess = async (n: number, mode: 'none' | 'quiet' | 'live') => {
    const compiled = pods.get(n)!;
    const view = mode === 'none' ? undefined : new LiveView(compiled.workflow, sink, mode === 'quiet');
    await runPod(compiled, {
      runtime: instant,
      values: { read: async () => undefined },
      backoffScale: 1,
      interrupt: new AbortController().signal,
      output: (c) => view?.output(c) ?? (() => undefined),
      onEvent: (e) => view?.onEvent(e),
      execution: `bench-${n}`,
    });
  };
  const { StateMachine } = await loadEngine();
  const minimal = (n: number) => {
    const handlers = Object.fromEntries(Object.keys(minimalChain(n).States).map((s) => [s, async () => ({})]));
    return () =>
      new StateMachine(minimalChain(n) as never, { validationOptions: { noValidate: true } }).run(
        {},
        { overrides: { taskResourceLocalHandlers: handlers } },
      ).result;
  };
  const engineRows: Row[] = [];
  const viewRows: Row[] = [];
  for (const n of [10, 100, 300]) {
    const steps = n + 1;
    for (let i = 0; i < 5; i++) await inProcess(n, 'quiet'); // the JIT's warm-up, as a long run would have
    // Interleaved, so that a burst of load on the machine falls on all three alike, and in a rotating order,
    // so that the garbage one run leaves is not always collected in the same other's time.
    const samples = { none: [] as number[], quiet: [] as number[], live: [] as number[] };
    const modes = ['none', 'quiet', 'live'] as const;
    // Enough samples that identical runs agree within a few per cent (5 at N = 300 moved the ratio by ±0.1,
    // 15 by ±0.04).
    for (let i = 0; i < 45; i++) {
      for (let m = 0; m < modes.length; m++) {
        const mode = modes[(i + m) % modes.length]!;
        samples[mode].push((await timeAsync(() => inProcess(n, mode), 1)) / steps);
      }
    }
    const [engine, quiet, live] = [median(samples.none), median(samples.quiet), median(samples.live)];
    const bare = (await timeAsync(minimal(steps), 9, true)) / steps;
    engineRows.push({
      what: `per Task, N = ${n} (pod2sfn's ASL, handlers, recorder; no Pod status)`,
      value: us(engine),
      floor: `${us(bare)} (minimal ${steps}-Task machine)`,
      ratio: `${(engine / bare).toFixed(1)}×`,
    });
    engineRows.push({
      what: `  + the Pod status tracked (PodStatusTracker, quiet), N = ${n}`,
      value: us(quiet),
      floor: `${us(engine)} without it`,
      ratio: `+${us(quiet - engine)} a step`,
    });
    viewRows.push({
      what: `per step with live lines, N = ${n}`,
      value: us(live),
      floor: `${us(quiet)} quiet`,
      ratio: `${(live / quiet).toFixed(2)}×`,
      ...(n === 300 && { target: verdict(live <= quiet * 1.1, 'live within 10 % of quiet at 300 steps') }),
    });
  }
  printTable('embedded engine (in-process, containers that exit at once)', engineRows);
  printTable('live view (in-process, containers that exit at once)', viewRows);

  // ---- start-up, through the CLI ----
  const seed = 'examples/init-containers.yaml';
  const big = spec('synth-1000', podYaml('synth-1000', 500, 500));
  const largest = spec('synth-150', podYaml('synth-150', 75, 75));
  const trivial = spec('trivial', podYaml('trivial', 1, 1));
  const startup = (what: string, args: string[], target?: [number, string], exit = 0) => {
    const command = exit === 2 ? refused(...args) : cli(...args);
    const bareRun = run([node, '-e', '']);
    command(); // warm the disk cache
    // In pairs, each CLI run next to a bare node, so that both see the same load; the difference is the
    // median of the pairs' differences.
    const values: number[] = [];
    const bares: number[] = [];
    for (let i = 0; i < 7; i++) {
      values.push(time(command, 1));
      bares.push(time(bareRun, 1));
    }
    const over = median(values.map((v, i) => v - bares[i]!));
    return {
      what,
      value: ms(median(values), 0),
      floor: `${ms(median(bares), 0)} node -e ""`,
      ratio: `+${ms(over, 0)}`,
      ...(target && { target: verdict(over <= target[0], target[1]) }),
    };
  };
  printTable('start-up (wall time of the CLI; 7 runs, each beside a node -e ""; medians)', [
    startup('pod2sfn --version', ['--version'], [20, 'within 20 ms of node']),
    startup('pod2sfn --help', ['--help']),
    startup('pod2sfn run --help', ['run', '--help']),
    startup('pod2sfn validate seed', ['validate', seed], [60, 'within 60 ms of node']),
    startup('pod2sfn synth seed', ['synth', seed]),
    startup('pod2sfn graph seed', ['graph', seed]),
    // The largest round N whose stack validates (activity: one resource and one output per container; a
    // stack has at most 200 outputs): the whole compile and emit, and the definition printed.
    startup('pod2sfn synth, 150 containers --executor activity (the largest that deploys)', [
      'synth',
      largest,
      '--executor',
      'activity',
    ]),
    // Refused since issue 14: a 1,000-container stack is over CloudFormation's limits. The time is still the
    // whole compile (parse, validate, plan, emit, the limit check) and the CLI's start-up; nothing is printed.
    startup(
      'pod2sfn synth, 1,000 containers (refused: over CloudFormation limits)',
      ['synth', big],
      [150, 'within 150 ms of node'],
      2,
    ),
    ...(runtime
      ? [startup('pod2sfn run, 1 + 1 containers of true (host)', ['run', trivial, '--runtime', 'host', '--quiet'])]
      : []),
  ]);

  // ---- compile, in-process ----
  const seedText = readFileSync(seed, 'utf8');
  const compileRows: Row[] = [
    {
      what: 'compile seed pod (median of 200)',
      value: ms(
        time(() => compile(seedText), 200, true),
        2,
      ),
    },
  ];
  const corpusDir = join('..', 'shared', 'corpus');
  if (existsSync(corpusDir)) {
    const texts = readdirSync(corpusDir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => readFileSync(join(corpusDir, f), 'utf8'));
    compileRows.push({
      what: `compile all ${texts.length} corpus manifests (median of 20)`,
      value: ms(time(() => texts.forEach((t) => compile(t)), 20, true)),
    });
  }
  // Up to 400 containers: about the most whose definition stays under Step Functions' 1 MiB (larger is
  // refused, after the emit or, past 500 in a list, before any compiling: the time of a refusal).
  const perContainer = new Map<number, number>();
  for (const n of [100, 200, 400]) {
    const text = podYaml(`c-${n}`, n / 2, n / 2);
    if (!compile(text, { target: 'local' }).compiled) throw new Error(`bench: ${n} containers do not compile`);
    const total = time(() => compile(text, { target: 'local' }), 5, true);
    perContainer.set(n, total / n);
    const last = n === 400;
    compileRows.push({
      what: `compile ${n.toLocaleString('en')} containers`,
      value: ms(total, 0),
      floor: `${us(total / n)} per container`,
      ...(last && {
        ratio: `${(perContainer.get(400)! / perContainer.get(100)!).toFixed(2)}× the per-container cost at 100`,
        target: verdict(
          perContainer.get(400)! <= perContainer.get(100)! * 1.5,
          'linear: per container at 400 ≤ 1.5× at 100',
        ),
      }),
    });
  }
  printTable('compile (in-process)', compileRows);

  // ---- module load, each in a fresh node ----
  /** The bundle's chunk that holds the compiler: the largest that has js-yaml's parser in it. */
  const compilerChunk = () => {
    const chunks = join('dist/bin/chunks');
    const withYaml = readdirSync(chunks)
      .map((f) => join(process.cwd(), chunks, f))
      .filter((f) => readFileSync(f, 'utf8').includes('YAMLException'));
    return withYaml.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
  };
  const engineUrl = pathToFileURL(join(process.cwd(), 'vendor/aws-local-stepfunctions/main.js')).href;
  const modules: Array<[string, string]> = [
    ['zod/mini (the manifest schema)', 'zod/mini'],
    ['js-yaml (the manifest parser)', 'js-yaml'],
    ['yaml (the -o yaml emitter, loaded when used)', 'yaml'],
    ['the embedded engine (vendor/aws-local-stepfunctions)', engineUrl],
    ['jsonpath-plus (the engine)', 'jsonpath-plus'],
    ['pod2sfn compile pipeline (dist/lib/compile.js)', pathToFileURL(join(process.cwd(), 'dist/lib/compile.js')).href],
    [
      'pod2sfn run verb (dist/lib/cli/actions/run.js)',
      pathToFileURL(join(process.cwd(), 'dist/lib/cli/actions/run.js')).href,
    ],
    [
      "the CLI binary's compiler chunk (zod, js-yaml and the pipeline, tree-shaken: what validate loads)",
      pathToFileURL(compilerChunk()).href,
    ],
    ['@aws-sdk/client-sfn (start, status, agent)', '@aws-sdk/client-sfn'],
    ['aws-cdk-lib (deploy, cdk synth)', 'aws-cdk-lib'],
  ];
  const loadTime = (specifier: string) =>
    Number(
      execFileSync(
        node,
        [
          '--input-type=module',
          '-e',
          `const t = performance.now(); await import(` +
            `${JSON.stringify(specifier)}); console.log(performance.now() - t);`,
        ],
        { encoding: 'utf8' },
      ),
    );
  printTable(
    'module load (median of 3, each in a fresh node)',
    modules.map(([what, specifier]) => {
      const samples = [loadTime(specifier), loadTime(specifier), loadTime(specifier)].sort((a, b) => a - b);
      return { what, value: ms(samples[1]!, 0) };
    }),
  );
  await volumeHandoffBench();
  console.log(`\nload average at the end: ${load()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
