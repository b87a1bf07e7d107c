/** Signature help inside a block call: its arguments, the one under the cursor highlighted. */
import type { SignatureHelp } from 'vscode-languageserver';
import type { FileAnalysis } from '../analysis.js';
import { callContext } from '../call-context.js';
import type { NameDef } from '../../compiler/elaborate/names.js';
import { builtin, builtinSignature, userSignature } from './describe.js';

export function signatureHelp(file: FileAnalysis, offset: number, userBlock: (name: string) => { def: NameDef; text: string } | undefined): SignatureHelp | null {
  const call = callContext(file.text, offset);
  if (!call) return null;
  const def = builtin(call.name);
  const user = def ? undefined : userBlock(call.name);
  const sig = def ? builtinSignature(def) : user?.def.decl ? userSignature(user.def.decl, user.text) : undefined;
  if (!sig) return null;
  const names = sig.params.map((p) => p.label.split(' = ')[0]!);
  const active = call.currentName !== undefined ? names.indexOf(call.currentName) : call.argIndex;
  return {
    signatures: [{
      label: sig.label,
      documentation: def?.summary ?? (user?.def.decl?.doc || undefined),
      parameters: sig.params.map((p) => ({ label: p.label, documentation: p.doc || undefined })),
    }],
    activeSignature: 0,
    activeParameter: Math.max(0, active),
  };
}
