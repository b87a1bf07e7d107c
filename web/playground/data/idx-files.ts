/**
 * MNIST-format data from files the user picked or dropped: the four IDX files (train and t10k,
 * images and labels), gzipped or plain, told apart by name as the CLI does (LeCun's and Kaggle's
 * spellings). Parsed and checked by the runtime's own IDX code.
 */
import { DATA_ERRORS, dataError } from '../../../runtime/data/codes.js';
import { isGzip, parseIdx } from '../../../runtime/data/idx-format.js';
import { idxPairStore } from '../../../runtime/data/idx-pair.js';
import type { SampleStore } from '../../../runtime/data/types.js';
import type { PathedFile } from './data-choice.js';
import { gunzip } from './gunzip.js';

export type IdxSplit = 'train' | 'test';
export type IdxPart = 'images' | 'labels';

/** Which of the four files a name is: `train-images-idx3-ubyte(.gz)`, `t10k-labels.idx1-ubyte`, … */
export function idxRole(name: string): { readonly split: IdxSplit; readonly part: IdxPart } | undefined {
  const match = /^(train|t10k|test)[-_.](images|labels)[-_.]idx[13][-_.]ubyte(\.gz)?$/i.exec(name.split('/').pop() ?? name);
  if (!match) return undefined;
  return { split: match[1]!.toLowerCase() === 'train' ? 'train' : 'test', part: match[2]!.toLowerCase() as IdxPart };
}

const EXPECTED = 'train-images-idx3-ubyte, train-labels-idx1-ubyte and, for validation, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each may end in .gz)';

/** The files by role; a name that is none of the four is refused, so a wrong drop says so at once. */
export function sortIdxFiles(files: readonly PathedFile[]): Map<string, PathedFile> {
  const roles = new Map<string, PathedFile>();
  if (files.length === 0) throw dataError(DATA_ERRORS.missingFile, `no IDX files chosen; pick or drop ${EXPECTED}`);
  for (const file of files) {
    const role = idxRole(file.path);
    if (!role) throw dataError(DATA_ERRORS.unknownSource, `${file.path} is not one of the MNIST file names; expected ${EXPECTED}`);
    const key = `${role.split}-${role.part}`;
    const twin = roles.get(key);
    if (twin) throw dataError(DATA_ERRORS.badOption, `${twin.path} and ${file.path} are both the ${role.split === 'train' ? 'training' : 't10k'} ${role.part}; pick one of them`);
    roles.set(key, file);
  }
  for (const part of ['images', 'labels'] as const) {
    if (!roles.has(`train-${part}`)) throw dataError(DATA_ERRORS.missingFile, `the training ${part} file is missing (train-${part}-idx${part === 'images' ? 3 : 1}-ubyte[.gz]); add it to the files`);
  }
  if (roles.has('test-images') !== roles.has('test-labels')) {
    const [have, lacks] = roles.has('test-images') ? ['images', 'labels'] : ['labels', 'images'];
    throw dataError(DATA_ERRORS.missingFile, `there are t10k ${have} but no t10k ${lacks} file; add it, or leave out ${roles.get(`test-${have}`)!.path}`);
  }
  return roles;
}

export interface IdxData {
  readonly train: SampleStore;
  readonly test?: SampleStore;
  readonly files: readonly string[];
}

export async function readIdxFiles(files: readonly PathedFile[], classes: number): Promise<IdxData> {
  const roles = sortIdxFiles(files);
  const split = async (name: IdxSplit) => {
    const images = roles.get(`${name}-images`)!;
    const labels = roles.get(`${name}-labels`)!;
    return idxPairStore(await readIdx(images), images.path, await readIdx(labels), labels.path, classes);
  };
  return { train: await split('train'), test: roles.has('test-images') ? await split('test') : undefined, files: [...roles.values()].map((f) => f.path) };
}

async function readIdx(file: PathedFile) {
  const raw = new Uint8Array(await file.file.arrayBuffer());
  return parseIdx(isGzip(raw) ? await gunzip(file.file, file.path) : raw, file.path);
}
