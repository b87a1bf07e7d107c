/**
 * The playground page: a CodeMirror editor on the left; the report, the graph and training as tabs
 * on the right. Every edit goes to the compiler worker (the newest text wins while one compile runs);
 * its diagnostics are underlined in the editor and listed below it, and the report follows the text.
 */
import { basicSetup, EditorView } from 'codemirror';
import { tooltips } from '@codemirror/view';
import { EXAMPLES } from 'gnet:examples';
import { gnetLanguage } from './gnet-language.js';
import type { CompileRequest, CompileResult, HoverResult } from './protocol.js';
import { BlockHover } from './block-hover.js';
import { confirmAction } from './confirm-dialog.js';
import { displayName, EditorFiles } from './editor-files.js';
import { GraphView } from './graph-view.js';
import { showDiagnostics } from './problems-view.js';
import { renderComparison, ReportView } from './report-view.js';
import { specFromHash, specFromStorage, specToHash, storeSpec, type SavedSpec } from './saved-spec.js';
import { Tabs } from './tabs.js';
import { TrainView } from './train-view.js';
import { ModelIoView } from './model-io-view.js';

const DEFAULT_EXAMPLE = '/specs/gauss-unet.gnet';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const statusLine = byId<HTMLElement>('status');
const networkPicker = byId<HTMLSelectElement>('network');
const compareA = byId<HTMLSelectElement>('compare-a');
const compareB = byId<HTMLSelectElement>('compare-b');
const reportView = new ReportView(byId('report'));
const tabs = new Tabs(byId('tabs'));
const graphView = new GraphView(byId('graph'), byId('graph-tools'), (offset: number) => jumpTo(offset));
tabs.onShow = (panel) => graphView.visible(panel === 'graph-panel');
graphView.visible(tabs.shown === 'graph-panel');
const trainView = new TrainView(() => compiledSource());

// Download and load back the trained model; the training worker holds it.
const modelView = new ModelIoView({
  send: (request) => trainView.send(request),
  openSpec: (spec, network) => openLoadedSpec(spec, network),
  backend: () => trainView.backendChoice(),
  loaded: () => trainView.showLoadedModel(),
});
trainView.onModelEvent = (event) => modelView.receive(event);
trainView.onState = (state) => modelView.trainStateChanged(state);
trainView.onRunFailed = () => modelView.runFailed();
trainView.startOptions = () => ({ fromCurrent: byId<HTMLInputElement>('train-from-model').checked });
trainView.resetModel = () => modelView.reset();
/** The network to pick once the next text compiles (a loaded model's). */
let wantedNetwork: string | undefined;

const worker = new Worker(new URL('./compile-worker.js', import.meta.url), { type: 'module' });
let nextId = 0;
let inFlight = false;
let pending = false;
/** The last result and the text it was compiled from. */
let last: { result: CompileResult; path: string; text: string } | undefined;
/** Waiting for a compile of the editor's current text (Train asks before it starts). */
let waiters: (() => void)[] = [];
const sent = new Map<number, { path: string; text: string }>();
// Shape and parameters of the block call under the pointer, from the same worker.
const blockHover: BlockHover = new BlockHover((request) => worker.postMessage(request), (): string => files.path);

/**
 * The status line is a live region: it is marked busy while compiling (nothing to announce), and
 * the compile time sits outside what is read, so an edit that changes nothing says nothing.
 */
function setStatus(state: 'compiling' | 'ok' | 'errors' | 'crashed', text: string, ms?: number): void {
  statusLine.dataset.state = state;
  statusLine.setAttribute('aria-busy', String(state === 'compiling'));
  const said = statusLine.firstChild?.textContent;
  const time = ms === undefined ? '' : ` · ${ms.toFixed(0)} ms`;
  if (said === text) {
    statusLine.querySelector('[aria-hidden]')!.textContent = time;
    return;
  }
  const hidden = Object.assign(document.createElement('span'), { textContent: time });
  hidden.setAttribute('aria-hidden', 'true');
  statusLine.replaceChildren(document.createTextNode(text), hidden);
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
  const request: CompileRequest = { id: ++nextId, path: files.path, text: files.view.state.doc.toString(), compare: pair };
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
  const source = sent.get(result.id);
  if (result.crash) {
    setStatus('crashed', 'the compiler failed on this text (a gnet bug, please report it with the link of this page)');
    console.error(result.crash);
    return;
  }
  if (source) last = { result, ...source };
  showDiagnostics(files.view, files.path, result.diagnostics, byId('problems'), byId('problem-count'));
  wake();
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  // Reports come back whenever the text elaborates: a failing budget is an error, but the report shows the new numbers and marks it.
  const fresh = result.reports.length > 0;
  byId('report-panel').dataset.stale = String(!fresh);
  if (errors.length > 0) {
    const first = errors[0]!;
    const count = `${errors.length} error${errors.length === 1 ? '' : 's'}`;
    setStatus('errors', fresh ? `${count} (${first.code}: ${first.message}); the report shows this text` : `${count} — the report shows the last valid version`, result.ms);
    if (!fresh) return;
  } else {
    const count = result.reports.length;
    setStatus('ok', `${count} network${count === 1 ? '' : 's'}, compiled`, result.ms);
  }
  fillPicker(networkPicker, result.reports.map((r) => r.name), wantedNetwork ?? networkPicker.value);
  wantedNetwork = undefined;
  shownReports = result;
  showReport();
  const names = result.reports.map((r) => r.name);
  byId('compare-panel').hidden = names.length < 2;
  const pairChanged = fillPicker(compareA, names, compareA.value || names[0]) | fillPicker(compareB, names, compareB.value || names[1]);
  if (pairChanged && names.length >= 2) requestCompile();
  else renderComparison(byId('comparison'), result.comparison);
}

/** The last result that held reports: what the report, graph and training panel show. */
let shownReports: CompileResult | undefined;

/** Replaces the options when the names changed; keeps `wanted` selected when it is still there. Returns 1 if the value changed. */
function fillPicker(select: HTMLSelectElement, names: readonly string[], wanted: string | undefined): number {
  const before = select.value;
  const current = Array.from(select.options, (o) => o.value);
  if (current.join('\n') !== names.join('\n')) select.replaceChildren(...names.map((n) => new Option(n, n)));
  select.value = wanted && names.includes(wanted) ? wanted : (names[0] ?? '');
  return select.value === before ? 0 : 1;
}

const pickedReport = () => shownReports?.reports.find((r) => r.name === networkPicker.value) ?? shownReports?.reports[0];

function showReport(): void {
  const report = pickedReport();
  if (report) reportView.show(report);
  graphView.show(report, files.path);
  trainView.showNetwork(report);
}

/** What Train trains: the editor's text once compiled, with its errors (Train refuses while there are any). */
async function compiledSource() {
  const text = files.view.state.doc.toString();
  while (!last || last.text !== text || last.path !== files.path || inFlight) await new Promise<void>((wake) => waiters.push(wake));
  const network = last.result.reports.find((r) => r.name === networkPicker.value) ?? last.result.reports[0];
  return { path: last.path, text, network, errors: last.result.diagnostics.filter((d) => d.severity === 'error') };
}

function wake(): void {
  const woken = waiters;
  waiters = [];
  for (const w of woken) w();
}

function jumpTo(offset: number): void {
  files.view.dispatch({ selection: { anchor: Math.min(offset, files.view.state.doc.length) }, scrollIntoView: true });
  files.view.focus();
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
/** The hash and local storage follow the text; a short pause keeps history and storage calm while typing. */
function scheduleSave(): void {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => void save(), 250);
}

// Leaving within the pause must not lose the last keystrokes.
window.addEventListener('pagehide', () => {
  clearTimeout(saveTimer);
  storeSpec({ path: files.path, text: files.view.state.doc.toString() });
  files.keep();
});

async function save(): Promise<void> {
  const spec: SavedSpec = { path: files.path, text: files.view.state.doc.toString() };
  storeSpec(spec);
  files.keep();
  history.replaceState(null, '', await specToHash(spec));
  statusLine.dataset.saved = 'true';
}

const files: EditorFiles = new EditorFiles(byId('editor'), [
  basicSetup,
  gnetLanguage,
  blockHover.extension,
  // Hover cards and diagnostics stay over the editor, never over the report or the training panel.
  tooltips({ tooltipSpace: (view) => view.dom.getBoundingClientRect() }),
  EditorView.updateListener.of((update) => {
    if (!update.docChanged) return;
    statusLine.dataset.saved = 'false';
    markEdited();
    requestCompile();
    scheduleSave();
  }),
], EXAMPLES);

/** Opens `path` (its own edits kept) and compiles it; `text`, when given, replaces it in one undoable change. */
function open(path: string, text?: string): void {
  files.open(path);
  if (text !== undefined) files.replace(text);
  byId('file-name').textContent = displayName(path);
  (byId('reset') as HTMLButtonElement).disabled = files.original(path) === undefined;
  for (const b of Array.from(byId('examples').querySelectorAll('button'))) b.setAttribute('aria-current', String(b.dataset.path === path));
  markEdited(true);
  requestCompile();
  scheduleSave();
}

/** Marks the open file (and its example button) as edited or not; `all`: every example button. */
function markEdited(all = false): void {
  const edited = files.edited(files.path);
  byId('file-name').dataset.edited = String(edited);
  for (const b of Array.from(byId('examples').querySelectorAll('button'))) {
    if (b.dataset.path === files.path) b.dataset.edited = String(edited);
    else if (all) b.dataset.edited = String(files.edited(b.dataset.path!));
  }
}

/** Opening another file while a run trains: the run ends first (its model so far is kept), if the user agrees. */
async function switchTo(path: string): Promise<void> {
  if (path === files.path) return;
  if (trainView.active) {
    const ok = await confirmAction(`${trainView.activeNetwork} is training. Opening ${displayName(path)} ends that run; the model as it is after the current step stays, to download or train on.`, 'End the run and open');
    if (!ok) return;
    await trainView.endRun();
  }
  open(path);
}

/** A loaded model's spec replaces the text of its file; edits of that file are confirmed first (and stay one Undo away). */
async function openLoadedSpec(spec: SavedSpec, network: string): Promise<void> {
  if (files.edited(spec.path) && files.text(spec.path) !== spec.text && files.original(spec.path) !== undefined) {
    const ok = await confirmAction(`The model's spec replaces your edits of ${displayName(spec.path)} (Undo in the editor brings them back).`, 'Open the model’s spec');
    if (!ok) return;
  }
  wantedNetwork = network;
  open(spec.path, spec.text);
}

function exampleList(): void {
  const list = byId('examples');
  const names = Object.keys(EXAMPLES).sort((a, b) => Number(a.includes('/examples/')) - Number(b.includes('/examples/')) || a.localeCompare(b));
  list.replaceChildren(...names.map((p) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = displayName(p).replace(/\.gnet$/, '');
    b.dataset.path = p;
    b.title = `Open ${displayName(p)} (your edits of every file are kept)`;
    b.addEventListener('click', () => void switchTo(p));
    return b;
  }));
}

networkPicker.addEventListener('change', showReport);
compareA.addEventListener('change', requestCompile);
compareB.addEventListener('change', requestCompile);
byId('reset').addEventListener('click', async () => {
  const original = files.original(files.path);
  if (original === undefined || !files.edited(files.path)) return;
  if (await confirmAction(`Discard your edits of ${displayName(files.path)} and put back the bundled text? (Undo in the editor brings them back.)`, 'Discard edits')) files.replace(original);
});
window.addEventListener('hashchange', async () => {
  const spec = await specFromHash(location.hash);
  if (spec && (spec.text !== files.view.state.doc.toString() || spec.path !== files.path)) open(spec.path, spec.text);
});

exampleList();
// A link opens its text (the file's own edits, if any, one Undo away); a plain visit the last edited file.
const linked = await specFromHash(location.hash);
if (linked) open(linked.path, linked.text);
else open((specFromStorage() ?? { path: DEFAULT_EXAMPLE }).path);

/** For tests and the console: the editor's whole text (the view only draws the visible lines). */
Object.assign(window, {
  gnetPlayground: {
    text: () => files.view.state.doc.toString(),
    path: () => files.path,
    losses: () => [...trainView.stepLosses],
    predict: (images: number[][]) => modelView.predict(images.map((i) => Float32Array.from(i))),
    loseDevice: () => trainView.loseDevice(),
  },
});
