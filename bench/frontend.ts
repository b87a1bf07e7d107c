/**
 * Front-end speed: parse + elaborate + analyse + render a generated spec of 10 000 blocks, and
 * `gnet report specs/vgg16.gnet` as a whole process (cold start included).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type CompilerApi = typeof import('../compiler/index.js');

/** The built bundle is what users run (the TypeScript sources under tsx carry extra per-closure cost). */
async function compilerApi(): Promise<{ api: CompilerApi; built: boolean }> {
  const dist = new URL('../dist/compiler/index.js', import.meta.url);
  if (existsSync(fileURLToPath(dist))) return { api: (await import(dist.href)) as CompilerApi, built: true };
  return { api: await import('../compiler/index.js'), built: false };
}

/** A plain chain of `blocks` blocks: conv → batchnorm → relu stages, with a residual add every stage. */
export function generatedSpec(blocks: number): string {
  const lines = ['network Big {', '  input x: 32 x 32 x 16', '  v0 = x'];
  let n = 0;
  let i = 0;
  while (n < blocks) {
    lines.push(`  v${i + 1} = v${i} -> conv(16, size = 3) -> batchnorm -> relu`, `  w${i + 1} = add(v${i + 1}, v${i})`);
    lines[lines.length - 2] = lines[lines.length - 2]!;
    lines.push(`  v${i + 1}b = w${i + 1}`);
    n += 4;
    i++;
  }
  lines.push(`  output y = v${i}b -> global_avgpool -> dense(10)`, '}');
  return lines.join('\n').replace(/v(\d+) -> conv/g, (m, k) => (k === '0' ? m : `v${k}b -> conv`));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export interface FrontendFigures {
  readonly blocks: number;
  readonly compileMs: number;
  readonly analyzeMs: number;
  /** The JSON report (`--format json`). */
  readonly jsonMs: number;
  /** The terminal table of every row (cli-table3). */
  readonly tableMs: number;
  /** Parse + elaborate + analyses + JSON report. */
  readonly totalMs: number;
  readonly vgg16ReportProcessMs: number | null;
  /** Measured on dist/ (npm run build) rather than the TypeScript sources. */
  readonly built: boolean;
}

export async function benchFrontend(blocks = 10_000, runs = 5): Promise<FrontendFigures> {
  const { api, built } = await compilerApi();
  const { compileSource, analyzeGraph, renderTable, toJSON } = api;
  const text = generatedSpec(blocks);
  const c: number[] = [];
  const a: number[] = [];
  const r: number[] = [];
  const j: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    const program = compileSource(text, 'big.gnet');
    if (program.diagnostics.length) throw new Error(`generated spec has diagnostics: ${program.diagnostics[0]!.message}`);
    const t1 = performance.now();
    const analysis = analyzeGraph(program.graphs[0]!, { batch: 1 }, () => undefined);
    const t2 = performance.now();
    JSON.stringify(toJSON(analysis, program.sources));
    const t3 = performance.now();
    renderTable(analysis);
    const t4 = performance.now();
    c.push(t1 - t0);
    a.push(t2 - t1);
    j.push(t3 - t2);
    r.push(t4 - t3);
  }
  const nodes = compileSource(text, 'big.gnet').graphs[0]!.nodes.length;
  const root = fileURLToPath(new URL('..', import.meta.url));
  let processMs: number | null = null;
  if (existsSync(`${root}/dist/cli.js`) && existsSync(`${root}/specs/vgg16.gnet`)) {
    const times: number[] = [];
    for (let k = 0; k < runs; k++) {
      const t0 = performance.now();
      execFileSync(process.execPath, [`${root}/bin/gnet.js`, 'report', `${root}/specs/vgg16.gnet`], { stdio: 'ignore' });
      times.push(performance.now() - t0);
    }
    processMs = median(times);
  }
  return { blocks: nodes, compileMs: median(c), analyzeMs: median(a), jsonMs: median(j), tableMs: median(r), totalMs: median(c) + median(a) + median(j), vgg16ReportProcessMs: processMs, built };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const f = await benchFrontend();
  console.log(`front end, ${f.blocks} IR nodes: parse+elaborate ${f.compileMs.toFixed(0)} ms + analyses ${f.analyzeMs.toFixed(0)} ms + JSON report ${f.jsonMs.toFixed(0)} ms = ${f.totalMs.toFixed(0)} ms (target < 500 ms); terminal table of all rows ${f.tableMs.toFixed(0)} ms`);
  console.log(`gnet report specs/vgg16.gnet, whole process: ${f.vgg16ReportProcessMs === null ? 'n/a (run npm run build)' : f.vgg16ReportProcessMs.toFixed(0) + ' ms'} (target < 500 ms)`);
}
