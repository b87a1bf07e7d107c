/**
 * The training settings as fields: filled from the network's train section, each value checked as
 * it is typed (the message beside its field, tied to it with aria-describedby and aria-invalid), and
 * kept in local storage so a reload keeps what the user set. A field still holding the value the
 * spec gave follows the spec when it changes; one the user changed keeps the user's value.
 */
import type { NetworkReport } from './protocol.js';
import type { BackendChoice, TrainSettings } from './train-protocol.js';

export type Field = keyof TrainSettings;

/** What each field accepts: whole numbers from `min` (and up to `max`), or a positive rate. */
const RULES: Readonly<Record<Field, { readonly integer: boolean; readonly min: number; readonly max: number; readonly what: string }>> = {
  epochs: { integer: true, min: 1, max: 1000, what: 'epochs' },
  batch: { integer: true, min: 1, max: 1024, what: 'the batch size' },
  lr: { integer: false, min: 0, max: 10, what: 'the learning rate' },
  samples: { integer: true, min: 1, max: 4096, what: 'the number of images' },
};
export const FIELDS = Object.keys(RULES) as Field[];
const DEFAULT_SAMPLES = 64;
const STORAGE_KEY = 'gnet-playground-train';

/** The message for a bad value, or undefined when it is fine. */
export function checkField(field: Field, text: string): string | undefined {
  const rule = RULES[field];
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value)) return `${rule.what} must be a number, not “${text}”`;
  if (rule.integer && !Number.isInteger(value)) return `${rule.what} must be a whole number, not ${trimmed}`;
  if (rule.integer ? value < rule.min : value <= rule.min) return `${rule.what} must be ${rule.integer ? `at least ${rule.min}` : `above ${rule.min}`}, not ${trimmed}`;
  if (value > rule.max) return `${rule.what} must be at most ${rule.max} in the page, not ${trimmed}`;
  return undefined;
}

interface Stored {
  values?: Partial<Record<Field, string>>;
  filled?: Partial<Record<Field, string>>;
  backend?: BackendChoice;
}

export class TrainFields {
  /** The values last put into the fields from the spec: a field still holding one follows the spec. */
  private filled: Partial<Record<Field, string>> = {};

  constructor() {
    const stored = readStored();
    this.filled = stored.filled ?? {};
    for (const field of FIELDS) {
      const value = stored.values?.[field];
      if (value !== undefined) this.input(field).value = value;
      this.input(field).addEventListener('input', () => {
        this.check(field);
        this.store();
      });
    }
    // The address (?backend=wasm) wins over the stored choice; both over 'auto'.
    const fromAddress = new URLSearchParams(location.search).get('backend');
    this.backendSelect.value = isBackend(fromAddress) ? fromAddress : stored.backend ?? 'auto';
    this.backendSelect.addEventListener('change', () => this.store());
  }

  get backend(): BackendChoice {
    return this.backendSelect.value as BackendChoice;
  }

  set backend(choice: BackendChoice) {
    this.backendSelect.value = choice;
    this.store();
  }

  /** Puts the network's train section into the fields a user has not changed. */
  follow(training: Exclude<NetworkReport['training'], { error: string }>): void {
    const values: Record<Field, string> = { epochs: String(training.epochs), batch: String(training.batch), lr: String(training.lr), samples: String(training.samples ?? DEFAULT_SAMPLES) };
    for (const field of FIELDS) {
      const input = this.input(field);
      if (input.value === '' || input.value === this.filled[field]) input.value = values[field];
      this.filled[field] = values[field];
      this.check(field);
    }
    this.store();
  }

  /** Checked settings, or undefined after marking every bad field. */
  read(): TrainSettings | undefined {
    let ok = true;
    for (const field of FIELDS) ok = this.check(field) && ok;
    if (!ok) return undefined;
    const value = (field: Field) => Number(this.input(field).value.trim());
    const settings = { epochs: value('epochs'), batch: value('batch'), lr: value('lr'), samples: value('samples') };
    if (settings.batch > settings.samples) {
      this.message('batch', `the batch size (${settings.batch}) must not exceed the number of images (${settings.samples})`);
      return undefined;
    }
    return settings;
  }

  /** The images field's value when it is valid (a preview reads that many at most). */
  samples(): number {
    const text = this.input('samples').value;
    return checkField('samples', text) === undefined ? Number(text) : DEFAULT_SAMPLES;
  }

  /** Shows `message` beside `field` (undefined clears it) and marks the input invalid or not. */
  message(field: Field, message: string | undefined): void {
    byId(`${field}-error`).textContent = message ?? '';
    this.input(field).setAttribute('aria-invalid', String(message !== undefined));
  }

  /** Moves the focus to the first field marked invalid; false when there is none. */
  focusInvalid(): boolean {
    const bad = FIELDS.map((f) => this.input(f)).find((i) => i.getAttribute('aria-invalid') === 'true');
    bad?.focus();
    return bad !== undefined;
  }

  private check(field: Field): boolean {
    const message = checkField(field, this.input(field).value);
    this.message(field, message);
    return message === undefined;
  }

  private store(): void {
    const stored: Stored = { values: Object.fromEntries(FIELDS.map((f) => [f, this.input(f).value])), filled: this.filled, backend: this.backend };
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
    } catch {
      // Storage disabled: the fields start from the spec next time.
    }
  }

  private input(field: Field): HTMLInputElement {
    return byId(`train-${field}`) as HTMLInputElement;
  }

  private get backendSelect(): HTMLSelectElement {
    return byId('train-backend-choice') as HTMLSelectElement;
  }
}

const isBackend = (value: unknown): value is BackendChoice => value === 'auto' || value === 'webgpu' || value === 'wasm';

function readStored(): Stored {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Stored;
    return { values: stored.values ?? {}, filled: stored.filled ?? {}, backend: isBackend(stored.backend) ? stored.backend : undefined };
  } catch {
    return {};
  }
}

const byId = (id: string): HTMLElement => document.getElementById(id)!;
