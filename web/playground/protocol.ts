/** Messages between the page and the compiler worker. Plain data only: they cross postMessage. */
import type { GraphNode } from '../../compiler/report/graph.js';
import type { ReportJSON } from '../../compiler/report/json.js';

export interface CompileRequest {
  readonly id: number;
  /** Path of the edited file among the bundled specs (imports resolve from it). */
  readonly path: string;
  readonly text: string;
  /** The two networks to compare side by side, when the file has two or more. */
  readonly compare?: readonly [string, string];
}

/** A diagnostic with the file it belongs to; offsets are into that file's text. */
export interface PageDiagnostic {
  readonly file: string;
  readonly from: number;
  readonly to: number;
  readonly severity: 'error' | 'warning' | 'note';
  readonly code: string;
  readonly message: string;
  readonly help?: string;
  readonly notes: readonly string[];
  /** The rendered diagnostic, as `gnet check` prints it. */
  readonly rendered: string;
}

/** One table row: the cells of `gnet report` plus what the page needs to fold frames. */
export interface PageRow {
  readonly depth: number;
  readonly kind: 'node' | 'frame' | 'frame-open';
  readonly name: string;
  readonly cells: readonly string[];
}

export interface NetworkReport {
  readonly name: string;
  readonly header: readonly string[];
  readonly summary: readonly string[];
  readonly rows: readonly PageRow[];
  readonly total: readonly string[];
  /** The same object as `gnet report --format json`. */
  readonly json: ReportJSON;
  /** The network's train section as `gnet train` reads it, or why it cannot be read. */
  readonly training: TrainingDefaults | { readonly error: string };
  /** Its nodes for the graph view (grouped into boxes by depth in the page). */
  readonly graph: readonly GraphNode[];
}

export interface TrainingDefaults {
  readonly epochs: number;
  readonly batch: number;
  readonly lr: number;
  readonly optimizer: string;
  readonly loss: string;
  readonly metrics: readonly string[];
  /** Images the section's `data = "synthetic-cells:N"` asks for, when it does. */
  readonly samples?: number;
  /** The section's `data = "…"` as written (`fashion-mnist` names the classes of IDX files). */
  readonly data?: string;
}

export interface PageComparison {
  readonly networks: readonly string[];
  readonly totals: readonly { readonly label: string; readonly values: readonly string[] }[];
  readonly kinds: readonly { readonly op: string; readonly cells: readonly string[] }[];
}

/** The hover at `offset` of the editor's text: what the language server shows there. */
export interface HoverRequest {
  readonly kind: 'hover';
  readonly id: number;
  readonly path: string;
  readonly text: string;
  readonly offset: number;
}

export interface HoverResult {
  readonly kind: 'hover';
  readonly id: number;
  /** Markdown (code fences, bullets, **bold**, `code`), absent where there is nothing to show. */
  readonly markdown?: string;
  readonly from?: number;
  readonly to?: number;
}

export interface CompileResult {
  readonly id: number;
  readonly diagnostics: readonly PageDiagnostic[];
  /** Networks declared in the file, elaborated or not. */
  readonly networks: readonly string[];
  /** Empty while the file has errors: the report shows the last valid one. */
  readonly reports: readonly NetworkReport[];
  readonly comparison?: PageComparison;
  /** Milliseconds the worker spent, for the status line. */
  readonly ms: number;
  /** Set when the compiler itself failed (a bug, not a spec error). */
  readonly crash?: string;
}
