/** Data loading for `gnet train`: data source strings → datasets that yield typed-array batches. */
export { DATA_ERRORS } from './codes.js';
export { DATA_SOURCE_FORMS, type DataInfo, type DataSource, type OpenOptions, type OpenedData, openDataset, parseDataSource } from './source.js';
export { defaultAugment } from './augment.js';
export { generateCell, type CellsOptions, type CellSample } from './synthetic-cells.js';
export type { AugmentOptions, Batch, BatchOptions, Dataset, ImageShape, Task } from './types.js';
