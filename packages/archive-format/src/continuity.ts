/** What verify learned about one object after authenticating it. */
export interface VerifiedObject {
  key: string;
  partition: number;
  firstOffset: number;
  lastOffset: number;
  records: number;
}

export type ContinuityProblem =
  | { kind: 'gap'; partition: number; from: number; to: number; after: string; before: string }
  | { kind: 'overlap'; partition: number; from: number; to: number; objects: [string, string] };

/**
 * Per partition, the objects sorted by first offset must tile the offsets: each starts right after the previous
 * one ends. A gap (offsets nobody holds) or an overlap (offsets held twice) is a problem naming the objects.
 */
export function continuityProblems(objects: readonly VerifiedObject[]): ContinuityProblem[] {
  const byPartition = new Map<number, VerifiedObject[]>();
  for (const o of objects) {
    const list = byPartition.get(o.partition) ?? [];
    list.push(o);
    byPartition.set(o.partition, list);
  }
  const problems: ContinuityProblem[] = [];
  for (const [partition, list] of [...byPartition].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => a.firstOffset - b.firstOffset || a.lastOffset - b.lastOffset);
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1]!;
      const next = list[i]!;
      if (next.firstOffset > prev.lastOffset + 1) {
        problems.push({
          kind: 'gap',
          partition,
          from: prev.lastOffset + 1,
          to: next.firstOffset - 1,
          after: prev.key,
          before: next.key,
        });
      } else if (next.firstOffset <= prev.lastOffset) {
        problems.push({
          kind: 'overlap',
          partition,
          from: next.firstOffset,
          to: Math.min(prev.lastOffset, next.lastOffset),
          objects: [prev.key, next.key],
        });
      }
    }
  }
  return problems;
}

export function describeProblem(p: ContinuityProblem): string {
  return p.kind === 'gap'
    ? `partition ${p.partition}: offsets ${p.from}..${p.to} are in no object (between ${p.after} and ${p.before})`
    : `partition ${p.partition}: offsets ${p.from}..${p.to} are in two objects: ${p.objects[0]} and ${p.objects[1]}`;
}

/** Checks, row by row in constant memory, that an object's rows hold offsets first, first+1, ... exactly once. */
export class RowOffsetChecker {
  private readonly key: string;
  private readonly firstOffset: number;
  private rows = 0;
  private problem: string | undefined;

  constructor(key: string, firstOffset: number) {
    this.key = key;
    this.firstOffset = firstOffset;
  }

  row(offset: number): void {
    const expected = this.firstOffset + this.rows;
    if (this.problem === undefined && offset !== expected) {
      this.problem = `${this.key}: row ${this.rows} has offset ${offset}, expected ${expected}`;
    }
    this.rows++;
  }

  /** The first problem found, including a row count or last offset that disagrees with the trailer. */
  end(lastOffset: number, records: number): string | undefined {
    if (this.problem) return this.problem;
    if (this.rows !== records) return `${this.key}: holds ${this.rows} rows, its trailer says ${records}`;
    if (this.firstOffset + records - 1 !== lastOffset) {
      return `${this.key}: rows end at ${this.firstOffset + records - 1}, the trailer says ${lastOffset}`;
    }
    return undefined;
  }
}
