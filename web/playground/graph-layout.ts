/**
 * Where the graph view draws its boxes and edges: the boxes one under another in the network's
 * (topological) order, an arrow from each box to the next that reads it, and every other input —
 * a skip, or a branch read later — as a bracket on the right, in lanes that never overlap.
 * Pure arithmetic, so it is tested in Node.
 */
import type { GraphBox } from '../../compiler/report/graph.js';

export const BOX_HEIGHT = 40;
/** Room between two boxes for the arrow and its shape. */
const GAP = 26;
const LANE = 14;
const MARGIN = 8;
const MIN_BOX = 180;
const MAX_BOX = 420;

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface LaidEdge {
  readonly from: number;
  readonly to: number;
  /** 'next': the arrow down to the following box; 'skip': a bracket in a lane on the right. */
  readonly kind: 'next' | 'skip';
  readonly lane: number;
  /** SVG path data. */
  readonly path: string;
  readonly label: string;
  /** Where the label sits; `vertical` labels run up along their lane. */
  readonly labelAt: { readonly x: number; readonly y: number; readonly vertical: boolean };
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly Rect[];
  readonly edges: readonly LaidEdge[];
  readonly lanes: number;
}

export const shapeText = (shape: readonly number[] | null): string => (shape ? shape.join('×') : '?');

export function layoutGraph(boxes: readonly GraphBox[], width: number): GraphLayout {
  const skips = boxes.flatMap((box, to) => box.inputs.filter((e) => e.from !== to - 1).map((e) => ({ from: e.from, to, shape: e.shape })));
  const lanes = assignLanes(skips);
  const laneCount = Math.max(0, ...lanes.map((l) => l + 1));
  const boxWidth = Math.max(MIN_BOX, Math.min(MAX_BOX, width - 2 * MARGIN - 16 - laneCount * LANE));
  const rects = boxes.map((_, i) => ({ x: MARGIN, y: MARGIN + i * (BOX_HEIGHT + GAP), width: boxWidth, height: BOX_HEIGHT }));
  const right = MARGIN + boxWidth;
  const centre = MARGIN + boxWidth / 2;
  const edges: LaidEdge[] = [];
  boxes.forEach((box, to) => {
    const next = box.inputs.filter((e) => e.from === to - 1);
    if (next.length === 0) return;
    const [top, bottom] = [rects[to - 1]!.y + BOX_HEIGHT, rects[to]!.y];
    edges.push({
      from: to - 1,
      to,
      kind: 'next',
      lane: -1,
      path: `M${centre},${top} V${bottom - 1}`,
      label: next.map((e) => shapeText(e.shape)).join(', '),
      labelAt: { x: centre + 6, y: (top + bottom) / 2 + 4, vertical: false },
    });
  });
  skips.forEach((skip, i) => {
    const x = right + 16 + lanes[i]! * LANE;
    // Leave from the upper part of the source's side, arrive at the lower part of the target's, so brackets that meet at one box do not touch.
    const y0 = rects[skip.from]!.y + BOX_HEIGHT * 0.35;
    const y1 = rects[skip.to]!.y + BOX_HEIGHT * 0.65;
    edges.push({
      from: skip.from,
      to: skip.to,
      kind: 'skip',
      lane: lanes[i]!,
      path: `M${right},${y0} H${x} V${y1} H${right + 1}`,
      label: shapeText(skip.shape),
      labelAt: { x: x - 3, y: (y0 + y1) / 2, vertical: true },
    });
  });
  const height = boxes.length === 0 ? 0 : rects.at(-1)!.y + BOX_HEIGHT + MARGIN;
  return { width: right + 16 + laneCount * LANE + MARGIN, height, boxes: rects, edges, lanes: laneCount };
}

/** Interval partitioning: each skip takes the lowest lane free over its span of boxes (a lane is free again after the box its last bracket ends at). */
export function assignLanes(skips: readonly { readonly from: number; readonly to: number }[]): number[] {
  const order = skips.map((_, i) => i).sort((a, b) => skips[a]!.from - skips[b]!.from || skips[a]!.to - skips[b]!.to);
  const laneEnds: number[] = [];
  const lanes = new Array<number>(skips.length);
  for (const i of order) {
    const { from, to } = skips[i]!;
    let lane = laneEnds.findIndex((end) => end < from);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = to;
    lanes[i] = lane;
  }
  return lanes;
}
