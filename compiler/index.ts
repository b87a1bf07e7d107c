/** The compiler's public API: source → IR → analyses → reports. Never imports TensorFlow.js. */
export { compileProgram, compileSource, type CompileOptions, type Host, type Program } from './program.js';
export { parseSource } from './syntax/parse.js';
export { renderDiagnostic, diagnosticToJSON } from './diagnostics/render.js';
export { hasErrors, sortDiagnostics, type Diagnostic, type Span } from './diagnostics/diagnostic.js';
export { BLOCKS } from './blocks/index.js';
export { analyzeGraph, type Analysis } from './analysis/index.js';
export { renderTable, renderMarkdown, toJSON } from './report/index.js';
export type * from './ir/ir.js';
export { formatSource, type FormatOptions, type FormatResult } from './format/index.js';
export { experimentsOf, type Experiment } from './experiment/index.js';
