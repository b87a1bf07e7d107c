/**
 * The editor's hover over names: asks the compiler worker (hover-worker.ts) what is at the pointer and
 * shows it — on a block call its output shape and trainable / non-trainable parameters. Diagnostic
 * hovers come from @codemirror/lint; this one adds to them.
 */
import { hoverTooltip, type EditorView, type Tooltip } from '@codemirror/view';
import type { HoverRequest, HoverResult } from './protocol.js';

export class BlockHover {
  private nextId = 0;
  private readonly waiting = new Map<number, (result: HoverResult) => void>();

  constructor(
    private readonly send: (request: HoverRequest) => void,
    private readonly path: () => string,
  ) {}

  /** The CodeMirror extension. */
  readonly extension = hoverTooltip((view, pos) => this.tooltip(view, pos), { hoverTime: 250 });

  receive(result: HoverResult): void {
    this.waiting.get(result.id)?.(result);
    this.waiting.delete(result.id);
  }

  private async tooltip(view: EditorView, pos: number): Promise<Tooltip | null> {
    const id = ++this.nextId;
    const result = await new Promise<HoverResult>((resolve) => {
      this.waiting.set(id, resolve);
      this.send({ kind: 'hover', id, path: this.path(), text: view.state.doc.toString(), offset: pos });
    });
    if (!result.markdown) return null;
    const markdown = result.markdown;
    return {
      pos: result.from ?? pos,
      end: result.to ?? pos,
      above: true,
      create: () => ({ dom: renderMarkdown(markdown) }),
    };
  }
}

/** The little markdown the language server's hovers use: code fences, "- " bullets, **bold** and `code`. */
export function renderMarkdown(markdown: string): HTMLElement {
  const box = document.createElement('div');
  box.className = 'block-hover';
  let list: HTMLUListElement | undefined;
  let code: HTMLPreElement | undefined;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) {
      if (code) code = undefined;
      else box.append((code = document.createElement('pre')));
      list = undefined;
      continue;
    }
    if (code) {
      code.textContent += (code.textContent ? '\n' : '') + line;
      continue;
    }
    if (line.startsWith('- ')) {
      if (!list) box.append((list = document.createElement('ul')));
      const item = document.createElement('li');
      item.append(...inline(line.slice(2)));
      list.append(item);
      continue;
    }
    list = undefined;
    if (line.trim() === '') continue;
    const paragraph = document.createElement('p');
    paragraph.append(...inline(line));
    box.append(paragraph);
  }
  return box;
}

function inline(text: string): Node[] {
  return text.split(/(\*\*[^*]+\*\*|`[^`]+`)/).filter(Boolean).map((piece) => {
    if (piece.startsWith('**')) return Object.assign(document.createElement('strong'), { textContent: piece.slice(2, -2) });
    if (piece.startsWith('`')) return Object.assign(document.createElement('code'), { textContent: piece.slice(1, -1) });
    return document.createTextNode(piece);
  });
}
