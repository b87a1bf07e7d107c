/**
 * The playground page: a CodeMirror editor on the left, the live report on the right. Every edit goes
 * to the compiler worker (the newest text wins while one compile runs); its diagnostics are underlined
 * in the editor and listed below it, and a file without errors refreshes the report.
 */
import { basicSetup, EditorView } from 'codemirror';
import { setDiagnostics, type Diagnostic as LintDiagnostic } from '@codemirror/lint';
import { EXAMPLES } from 'gnet:examples';
import { gnetLanguage } from './gnet-language.js';
import type { CompileRequest, CompileResult, HoverResult, PageDiagnostic } from './protocol.js';
import { BlockHover } from './block-hover.js';
import { renderComparison, ReportView } from './report-view.js';
import { specFromHash, specFromStorage, specToHash, storeSpec, type SavedSpec } from './saved-spec.js';
import { TrainView } from './train-view.js';
import { backendFromAddress, ModelIoView } from './model-io-view.js';

const DEFAULT_EXAMPLE = '/specs/gauss-unet.gnet';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const statusLine = byId<HTMLElement>('status');
const problems = byId<HTMLElement>('problems');
const networkPicker = byId<HTMLSelectElement>('network');
const compareA = byId<HTMLSelectElement>('compare-a');
const compareB = byId<HTMLSelectElement>('compare-b');
const fileName = byId<HTMLElement>('file-name');
const reportView = new ReportView(byId('report'));
// Trains the picked network of the last valid text (what the report shows).
const trainView = new TrainView(() => ({ path: lastValid.path, text: lastValid.text, network: pickedReport() }));

// Download and load back the trained model; the training worker holds it.
const modelView = new ModelIoView({
  send: (request) => trainView.send(request),
  openSpec: (spec, network) => {
    wantedNetwork = network;
    load(spec);
  },
  backend: backendFromAddress,
});
trainView.onModelEvent = (event) => modelView.receive(event);
trainView.onState = (state) => modelView.trainStateChanged(state);
trainView.startOptions = () => ({ backend: backendFromAddress(), fromCurrent: byId<HTMLInputElement>('train-from-model').checked });
/** The network to pick once the next text compiles (a loaded model's). */
let wantedNetwork: string | undefined;

const worker = new Worker(new URL('./compile-worker.js', import.meta.url), { type: 'module' });
let path = DEFAULT_EXAMPLE;
let nextId = 0;
let inFlight = false;
let pending = false;
let last: CompileResult | undefined;
let lastValid = { path: DEFAULT_EXAMPLE, text: '' };
const sent = new Map<number, { path: string; text: string }>();
// Shape and parameters of the block call under the pointer, from the same worker.
const blockHover = new BlockHover((request) => worker.postMessage(request), () => path);

function setStatus(state: 'compiling' | 'ok' | 'errors' | 'crashed', text: string): void {
  statusLine.dataset.state = state;
  statusLine.textContent = text;
}

function requestCompile(): void {
  if (inFlight) {
    pending = true;
    return;
  }
  inFlight = true;
  pending = false;
  setStatus('compiling', 'compiling…');
  const pair = compareA.value && compareB.value ? ([compareA.value, compareB.value] as const) : undefined;
  const request: CompileRequest = { id: ++nextId, path, text: view.state.doc.toString(), compare: pair };
  sent.clear();
  sent.set(request.id, { path: request.path, text: request.text });
  worker.postMessage(request);
}

worker.onmessage = (event: MessageEvent<CompileResult | HoverResult>) => {
  if ('kind' in event.data) {
    blockHover.receive(event.data);
    return;
  }
  inFlight = false;
  if (pending) {
    requestCompile();
    return;
  }
  show(event.data);
};

worker.onerror = (event) => {
  inFlight = false;
  setStatus('crashed', `the compiler worker failed to start: ${event.message}`);
};

function show(result: CompileResult): void {
  if (result.crash) {
    setStatus('crashed', 'the compiler failed on this text (a gnet bug, please report it with the link of this page)');
    console.error(result.crash);
    return;
  }
  showDiagnostics(result.diagnostics);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const ms = `${result.ms.toFixed(0)} ms`;
  if (errors > 0) {
    setStatus('errors', `${errors} error${errors === 1 ? '' : 's'}${last ? ' — the report shows the last valid version' : ''} · ${ms}`);
    byId('report-panel').dataset.stale = 'true';
    return;
  }
  last = result;
  lastValid = sent.get(result.id) ?? lastValid;
  byId('report-panel').dataset.stale = 'false';
  const count = result.reports.length;
  setStatus('ok', `${count} network${count === 1 ? '' : 's'} · compiled in ${ms}`);
  fillPicker(networkPicker, result.reports.map((r) => r.name), wantedNetwork ?? networkPicker.value);
  wantedNetwork = undefined;
  showReport();
  const names = result.reports.map((r) => r.name);
  byId('compare-panel').hidden = names.length < 2;
  const pairChanged = fillPicker(compareA, names, compareA.value || names[0]) | fillPicker(compareB, names, compareB.value || names[1]);
  if (pairChanged && names.length >= 2) requestCompile();
  else renderComparison(byId('comparison'), result.comparison);
}

/** Replaces the options when the names changed; keeps `wanted` selected when it is still there. Returns 1 if the value changed. */
function fillPicker(select: HTMLSelectElement, names: readonly string[], wanted: string | undefined): number {
  const before = select.value;
  const current = Array.from(select.options, (o) => o.value);
  if (current.join('\n') !== names.join('\n')) select.replaceChildren(...names.map((n) => new Option(n, n)));
  select.value = wanted && names.includes(wanted) ? wanted : (names[0] ?? '');
  return select.value === before ? 0 : 1;
}

const pickedReport = () => last?.reports.find((r) => r.name === networkPicker.value) ?? last?.reports[0];

function showReport(): void {
  const report = pickedReport();
  if (report) reportView.show(report);
  trainView.showNetwork(report);
}

function showDiagnostics(diagnostics: readonly PageDiagnostic[]): void {
  const here = diagnostics.filter((d) => d.file === path);
  const length = view.state.doc.length;
  const marks: LintDiagnostic[] = here.map((d) => ({
    from: Math.min(d.from, length),
    to: Math.min(Math.max(d.to, d.from), length),
    severity: d.severity === 'note' ? 'info' : d.severity,
    source: d.code,
    message: d.message,
    renderMessage: () => diagnosticDetails(d),
  }));
  view.dispatch(setDiagnostics(view.state, marks));
  problems.replaceChildren(...diagnostics.map((d) => {
    const item = document.createElement('li');
    item.className = `problem ${d.severity}`;
    item.dataset.code = d.code;
    item.append(diagnosticDetails(d));
    if (d.file === path) {
      item.tabIndex = 0;
      item.addEventListener('click', () => view.dispatch({ selection: { anchor: Math.min(d.from, view.state.doc.length) }, scrollIntoView: true }));
    }
    return item;
  }));
}

/** The code, the message, then the help and notes: what the hover and the problems list show. */
function diagnosticDetails(d: PageDiagnostic): HTMLElement {
  const box = document.createElement('div');
  box.className = 'diagnostic';
  const head = document.createElement('div');
  const code = document.createElement('strong');
  code.textContent = `${d.severity}[${d.code}]`;
  head.append(code, `: ${d.message}`);
  box.append(head);
  for (const [label, text] of [...(d.help ? [['help', d.help]] : []), ...d.notes.map((n) => ['note', n])]) {
    const line = document.createElement('div');
    line.className = label!;
    line.textContent = `${label}: ${text}`;
    box.append(line);
  }
  if (d.file !== path) {
    const where = document.createElement('div');
    where.className = 'note';
    where.textContent = `in ${d.file.replace(/^\/specs\//, '')}`;
    box.append(where);
  }
  return box;
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
/** The hash and local storage follow the text; a short pause keeps history and storage calm while typing. */
function scheduleSave(): void {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => void save(), 250);
}

async function save(): Promise<void> {
  const spec: SavedSpec = { path, text: view.state.doc.toString() };
  storeSpec(spec);
  history.replaceState(null, '', await specToHash(spec));
  byId('status').dataset.saved = 'true';
}

const view = new EditorView({
  parent: byId('editor'),
  extensions: [
    basicSetup,
    gnetLanguage,
    blockHover.extension,
    EditorView.updateListener.of((update) => {
      if (!update.docChanged) return;
      byId('status').dataset.saved = 'false';
      requestCompile();
      scheduleSave();
    }),
  ],
});

function load(spec: SavedSpec): void {
  path = spec.path;
  fileName.textContent = path.replace(/^\/specs\//, '');
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: spec.text } });
}

function exampleList(): void {
  const list = byId('examples');
  const names = Object.keys(EXAMPLES).sort((a, b) => Number(a.includes('/examples/')) - Number(b.includes('/examples/')) || a.localeCompare(b));
  list.replaceChildren(...names.map((p) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = p.replace(/^\/specs\//, '').replace(/\.gnet$/, '');
    b.dataset.path = p;
    b.addEventListener('click', () => load({ path: p, text: EXAMPLES[p]! }));
    return b;
  }));
}

networkPicker.addEventListener('change', showReport);
compareA.addEventListener('change', requestCompile);
compareB.addEventListener('change', requestCompile);
byId('reset').addEventListener('click', () => load({ path, text: EXAMPLES[path] ?? '' }));
window.addEventListener('hashchange', async () => {
  const spec = await specFromHash(location.hash);
  if (spec && (spec.text !== view.state.doc.toString() || spec.path !== path)) load(spec);
});

exampleList();
const initial = (await specFromHash(location.hash)) ?? specFromStorage() ?? { path: DEFAULT_EXAMPLE, text: EXAMPLES[DEFAULT_EXAMPLE] ?? '' };
load(initial);

/** For tests and the console: the editor's whole text (the view only draws the visible lines). */
Object.assign(window, { gnetPlayground: { text: () => view.state.doc.toString(), path: () => path, losses: () => [...trainView.stepLosses], predict: (images: number[][]) => modelView.predict(images.map((i) => Float32Array.from(i))), loseDevice: () => trainView.loseDevice() } });
