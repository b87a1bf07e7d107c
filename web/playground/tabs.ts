/**
 * The report, graph and training views as ARIA tabs: one panel shows at a time, so each fits the
 * window beside the editor. Arrow keys, Home and End move between the tabs, as the WAI-ARIA tabs
 * pattern has it; the picked tab is kept across reloads.
 */
const STORAGE_KEY = 'gnet-playground-tab';

export class Tabs {
  private readonly tabs: HTMLButtonElement[];
  /** Called with the panel's id whenever a tab is shown (the graph draws itself only when visible). */
  onShow: (panel: string) => void = () => {};

  constructor(list: HTMLElement) {
    this.tabs = Array.from(list.querySelectorAll<HTMLButtonElement>('[role="tab"]'));
    for (const tab of this.tabs) {
      tab.addEventListener('click', () => this.show(tab.id));
      tab.addEventListener('keydown', (event) => this.key(event, tab));
    }
    const saved = readSaved();
    if (saved && this.tabs.some((t) => t.id === saved)) this.show(saved, false);
  }

  /** Shows the tab `id` (e.g. `tab-train`); `focus` moves the keyboard focus onto it. */
  show(id: string, focus = false): void {
    for (const tab of this.tabs) {
      const selected = tab.id === id;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      document.getElementById(tab.getAttribute('aria-controls')!)!.hidden = !selected;
      if (selected) {
        if (focus) tab.focus();
        this.onShow(tab.getAttribute('aria-controls')!);
      }
    }
    try {
      localStorage.setItem(STORAGE_KEY, id);
    } catch {
      // Storage disabled: the first tab shows next time.
    }
  }

  /** The id of the panel shown now. */
  get shown(): string {
    return this.tabs.find((t) => t.getAttribute('aria-selected') === 'true')!.getAttribute('aria-controls')!;
  }

  private key(event: KeyboardEvent, tab: HTMLButtonElement): void {
    const at = this.tabs.indexOf(tab);
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: this.tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    this.show(this.tabs[(next + this.tabs.length) % this.tabs.length]!.id, true);
  }
}

function readSaved(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
