/**
 * Helpers for emit(): every literal taken from attributes goes through JSON.stringify, so a value
 * can never become code.
 */
import type { AttrValue } from '../ir/ir.js';
import type { EmitContext } from './block.js';

export function lit(value: AttrValue | readonly (readonly number[])[]): string {
  return JSON.stringify(value);
}

const SIMPLE_REFERENCE = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*|\[\d+\])*$/;

/** Lets `body` mention the input twice without evaluating its expression twice. */
export function bindInput(input: string, body: (x: string) => string): string {
  return SIMPLE_REFERENCE.test(input) ? body(input) : `((x$) => ${body('x$')})(${input})`;
}

export function addBias(expr: string, ctx: EmitContext, hasBias: boolean): string {
  return hasBias ? `tf.add(${expr}, ${ctx.weight('bias')})` : expr;
}
