/** Reports over an Analysis: JSON (a contract), terminal table, Markdown, comparison and diff. */
export { toJSON, type ReportJSON, type BlockJSON, type BudgetJSON, type FieldJSON, type SourceJSON, type SourceTexts } from './json.js';
export { renderTable, type TableOptions } from './table.js';
export { renderMarkdown } from './markdown.js';
export { compareAnalyses, renderComparison, comparisonMarkdown, type Comparison } from './compare.js';
export { diff, renderDiff, type GraphDiff, type BlockChange, type BlockSummary } from './diff.js';
export { reportRows, type ReportRow } from './rows.js';
