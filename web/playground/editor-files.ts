/**
 * One editor, many files: each file keeps its text and cursor while another is open, and its edits
 * are kept in local storage, so opening an example never throws away the edits of another and a
 * reload brings them back.
 *
 * A file opens in a new view that starts empty and receives its text as a first change (kept out of
 * the undo history). A view created on a state that already holds the text — or given one with
 * setState — misread Chromium's multi-line text input afterwards: text inserted at the end of the
 * document also deleted a line break far above it. Undo history therefore lasts while a file is open.
 */
import { EditorSelection, EditorState, Transaction, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { storedDrafts, storeDraft } from './saved-spec.js';

export const displayName = (path: string) => path.replace(/^\/specs\//, '');

export class EditorFiles {
  /** Files opened in this visit and left for another: their text and cursor. */
  private readonly left = new Map<string, { readonly text: string; readonly anchor: number; readonly head: number }>();
  private current = '';
  private shown: EditorView | undefined;

  constructor(
    private readonly parent: HTMLElement,
    private readonly extensions: Extension,
    private readonly bundled: Readonly<Record<string, string>>,
  ) {}

  get path(): string {
    return this.current;
  }

  /** The editor of the open file (a new one after each open()). */
  get view(): EditorView {
    return this.shown!;
  }

  /** Shows `path` as it was left: its state in this visit, else its kept edits, else the bundled text. */
  open(path: string): void {
    if (this.shown) {
      const { anchor, head } = this.shown.state.selection.main;
      this.left.set(this.current, { text: this.shown.state.doc.toString(), anchor, head });
      this.shown.destroy();
    }
    this.current = path;
    const kept = this.left.get(path);
    const text = kept?.text ?? storedDrafts()[path] ?? this.bundled[path] ?? '';
    this.shown = new EditorView({ state: this.createState(path), parent: this.parent });
    this.shown.dispatch({
      changes: { from: 0, insert: text },
      selection: kept ? EditorSelection.single(Math.min(kept.anchor, text.length), Math.min(kept.head, text.length)) : undefined,
      scrollIntoView: kept !== undefined,
      annotations: Transaction.addToHistory.of(false),
    });
  }

  /** Replaces the open file's text in one change, so Undo brings the old text back. */
  replace(text: string): void {
    if (text === this.view.state.doc.toString()) return;
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  /** The text of `path` now (open or not). */
  text(path: string): string {
    if (path === this.current) return this.view.state.doc.toString();
    return this.left.get(path)?.text ?? storedDrafts()[path] ?? this.bundled[path] ?? '';
  }

  /** The bundled text of `path`, or undefined for a file that is not one of the examples. */
  original(path: string): string | undefined {
    return this.bundled[path];
  }

  /** Whether `path` holds edits: text that differs from the bundled file (any text of a file that is not bundled). */
  edited(path: string): boolean {
    return this.text(path) !== this.bundled[path];
  }

  /** Keeps the open file's edits (or forgets them when it is back to the bundled text). */
  keep(): void {
    storeDraft(this.current, this.edited(this.current) ? this.text(this.current) : undefined);
  }

  private createState(path: string): EditorState {
    return EditorState.create({ extensions: [this.extensions, EditorView.contentAttributes.of({ 'aria-label': `Spec editor: ${displayName(path)}` })] });
  }
}
