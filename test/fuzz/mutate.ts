/** The spec mutation generator: valid seed specs and random edits of them (shared by the fuzz tests). */
import fc from 'fast-check';

/** Valid specs covering most of the grammar; the fuzzer mutates them. */
export const SEEDS = [
  `/// doc
network U(base = 4, classes = 2) {
  input image: 32 x 32 x 3
  block stage(c, k = 3) { conv(c, size = k) -> batchnorm -> relu }
  block up(skip, c) { upsample(2) -> concat(skip) -> stage(c) }
  e1 = image -> stage(base)
  e2 = e1 -> maxpool(2) -> stage(base * 2)
  d1 = e2 -> up(e1, base)
  shared head = conv(classes, size = 1)
  output mask = d1 -> head -> softmax
  budget params <= 30k
  budget memory <= 2GiB at batch 16
  train { epochs = 2; optimizer = adam(lr = 0.01); metrics = [accuracy] }
}`,
  `block res(c, stride = 1, project = false) {
  main = in -> conv(c, size = 3, stride = stride, bias = false) -> batchnorm -> relu -> conv(c, bias = false) -> batchnorm
  if project { short = in -> conv(c, size = 1, stride = stride) } else { short = in }
  add(main, short) -> relu
}
network R { input x: 64x64x3
  y = x -> conv(16, size = 7, stride = 2) -> maxpool(3, stride = 2, padding = same)
  for i in 0..3 { y = y -> res(16 * 2 ^ i, stride = 2, project = true) -> res(16 * 2 ^ i) * 2 }
  output logits = y -> global_avgpool -> dropout(0.5) -> dense(10)
}`,
  `network G { input x: 28 x 28 x 1
  a = x -> gauss(16, size = 7, order = 3, bases = 4, mix = separated) -> batchnorm -> relu -> se(4) -> fre(2)
  b = a -> gauss(32, size = [7, 5], order = 2, bases = 8, train_sigma = false, isotropic = true) -> crop(size = [20, 20])
  output y = b -> flatten -> dense(10) -> softmax
}`,
];

export const TOKENS = ['->', '(', ')', '{', '}', '[', ']', ',', '=', '*', '/', '..', 'x', ' in ', ' for ', ' block ', ' network ', 'input', 'output', '0', '-1', '99999999999999', '1e308', '"', '/*', '///', '\n', 'conv', 'gauss', 'add(', 'concat(', 'shared ', 'if ', 'else', 'budget ', 'in', '\u0000', '\uffff', '😀'];

export type Mutation = { kind: 'delete' | 'insert' | 'replace' | 'duplicate' | 'truncate'; at: number; length: number; token: number };

export function mutate(text: string, mutations: readonly Mutation[]): string {
  let s = text;
  for (const m of mutations) {
    const at = Math.floor(m.at * s.length);
    const end = Math.min(s.length, at + m.length);
    const token = TOKENS[m.token % TOKENS.length]!;
    if (m.kind === 'delete') s = s.slice(0, at) + s.slice(end);
    else if (m.kind === 'insert') s = s.slice(0, at) + token + s.slice(at);
    else if (m.kind === 'replace') s = s.slice(0, at) + token + s.slice(end);
    else if (m.kind === 'duplicate') s = s.slice(0, end) + s.slice(at, end) + s.slice(end);
    else s = s.slice(0, at);
  }
  return s;
}

export const mutation = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'replace', 'duplicate', 'truncate') as fc.Arbitrary<Mutation['kind']>,
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.integer({ min: 1, max: 40 }),
  token: fc.nat(),
});

