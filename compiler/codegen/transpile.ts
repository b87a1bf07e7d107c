/** TypeScript → JavaScript for a generated module, in memory (types erased, imports kept as written). */
import { ts } from 'ts-morph';

export function transpileModule(source: string, fileName = 'module.ts'): string {
  const { outputText } = ts.transpileModule(source, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false, removeComments: false },
  });
  return outputText;
}
