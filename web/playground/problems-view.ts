/**
 * Diagnostics of the last compile: underlined in the editor (hover: code, message, help, notes) and
 * listed under it. An item of the edited file jumps to its place on a click, Enter or Space.
 */
import { setDiagnostics, type Diagnostic as LintDiagnostic } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';
import type { PageDiagnostic } from './protocol.js';

export function showDiagnostics(view: EditorView, path: string, diagnostics: readonly PageDiagnostic[], list: HTMLElement, count: HTMLElement): void {
  const length = view.state.doc.length;
  const marks: LintDiagnostic[] = diagnostics.filter((d) => d.file === path).map((d) => ({
    from: Math.min(d.from, length),
    to: Math.min(Math.max(d.to, d.from), length),
    severity: d.severity === 'note' ? 'info' : d.severity,
    source: d.code,
    message: d.message,
    renderMessage: () => diagnosticDetails(d, path),
  }));
  view.dispatch(setDiagnostics(view.state, marks));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  count.textContent = diagnostics.length === 0 ? '' : `(${errors} error${errors === 1 ? '' : 's'}${diagnostics.length > errors ? `, ${diagnostics.length - errors} other` : ''})`;
  list.replaceChildren(...diagnostics.map((d) => {
    const item = document.createElement('li');
    item.className = `problem ${d.severity}`;
    item.dataset.code = d.code;
    item.append(diagnosticDetails(d, path));
    if (d.file === path) {
      item.tabIndex = 0;
      item.title = 'Go to this place in the spec (click or Enter)';
      const jump = () => {
        view.dispatch({ selection: { anchor: Math.min(d.from, view.state.doc.length), head: Math.min(d.to, view.state.doc.length) }, scrollIntoView: true });
        view.focus();
      };
      item.addEventListener('click', jump);
      item.addEventListener('keydown', (event) => {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        event.preventDefault();
        jump();
      });
    }
    return item;
  }));
}

/** The line of `offset` in `text`, 1-based, for messages that name a place. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < Math.min(offset, text.length); i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The code, the message, then the help and notes: what the hover and the problems list show. */
function diagnosticDetails(d: PageDiagnostic, path: string): HTMLElement {
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
