/**
 * Generated modules type-check under the project's strict settings against the real tfjs-core types
 * and runtime sources, and satisfy the GeneratedModule contract the trainer uses. One in-memory
 * ts-morph program (nothing written); only errors in the generated files are reported.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Project, type SourceFile } from 'ts-morph';
import { generate, hostileNetwork, loadZoo, REPO } from './helpers.js';

/** Virtual folder inside the repo, so node_modules resolve as they would for a real file. */
const DIR = join(REPO, 'test/codegen/__typecheck__');

test('every generated module type-checks strictly and is a GeneratedModule', () => {
  const project = new Project({
    tsConfigFilePath: join(REPO, 'tsconfig.json'),
    skipAddingFilesFromTsConfig: true,
    compilerOptions: { noEmit: true, baseUrl: REPO, paths: { 'gnet/runtime': ['runtime/index.ts'] } },
  });
  const networks = [...loadZoo().networks, hostileNetwork()];
  const modules = networks.map((network, i) => project.createSourceFile(join(DIR, `m${i}.ts`), generate(network)));
  const conformance = project.createSourceFile(
    join(DIR, 'conformance.ts'),
    [
      "import type { GeneratedModule } from '../../../runtime/generated-module.js';",
      ...modules.map((_, i) => `import * as m${i} from './m${i}.js';`),
      `export const modules: readonly GeneratedModule[] = [${modules.map((_, i) => `m${i}`).join(', ')}];`,
    ].join('\n'),
  );
  const program = project.getProgram();
  const checked: SourceFile[] = [...modules, conformance];
  const diagnostics = checked.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]);
  assert.is(diagnostics.length, 0, project.formatDiagnosticsWithColorAndContext(diagnostics));
});

test.run();
