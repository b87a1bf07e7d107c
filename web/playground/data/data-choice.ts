/** What the page trains on, as the page hands it to the training worker (File objects clone into workers). */

/** A file with its path inside the picked or dropped folder (`cats/1.png`), or its bare name. */
export interface PathedFile {
  readonly path: string;
  readonly file: File;
}

export type DataChoice =
  /** The built-in synthetic cells (segmentation). */
  | { readonly kind: 'cells' }
  /** MNIST / Fashion-MNIST IDX files: train images and labels, optionally t10k images and labels. */
  | { readonly kind: 'idx'; readonly files: readonly PathedFile[] }
  /** Images in class folders or with a labels file (classification). */
  | { readonly kind: 'folder'; readonly files: readonly PathedFile[] };

export type DataKind = DataChoice['kind'];
