import type { Transaction } from '@fraud-operator/transactions/transaction';
import type { SimulatorConfig } from './config.ts';
import { Random } from './random.ts';

const DAY_S = 86_400;
/** Rows per day at most (2^26 ≈ 67M); time of day × this + index stays below 2^53. */
const INDEX_SPACE = 2 ** 26;

function grow<T extends Int32Array | Float64Array>(array: T, capacity: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(capacity);
  bigger.set(array);
  return bigger;
}

interface Profiles {
  meanAmount: Float64Array;
  stdAmount: Float64Array;
  txPerDay: Float64Array;
  /** Terminals within the radius of customer c: terminalList[terminalStart[c] .. terminalStart[c + 1]). */
  terminalStart: Int32Array;
  terminalList: Int32Array;
}

/** Customer and terminal profiles as the Handbook draws them, with a grid index for the radius search. */
export function makeProfiles(config: SimulatorConfig, random: Random): Profiles {
  const { customers, terminals, radius } = config;
  const cx = new Float64Array(customers);
  const cy = new Float64Array(customers);
  const meanAmount = new Float64Array(customers);
  const stdAmount = new Float64Array(customers);
  const txPerDay = new Float64Array(customers);
  for (let c = 0; c < customers; c++) {
    cx[c] = random.uniform(0, 100);
    cy[c] = random.uniform(0, 100);
    meanAmount[c] = random.uniform(5, 100);
    stdAmount[c] = (meanAmount[c] as number) / 2;
    txPerDay[c] = random.uniform(0, 4);
  }
  const cells = Math.max(1, Math.floor(100 / radius));
  const cellOf = (v: number): number => Math.min(cells - 1, Math.floor((v / 100) * cells));
  const grid: number[][] = Array.from({ length: cells * cells }, () => []);
  const tx = new Float64Array(terminals);
  const ty = new Float64Array(terminals);
  for (let t = 0; t < terminals; t++) {
    tx[t] = random.uniform(0, 100);
    ty[t] = random.uniform(0, 100);
    grid[cellOf(ty[t] as number) * cells + cellOf(tx[t] as number)]?.push(t);
  }
  const terminalStart = new Int32Array(customers + 1);
  let list = new Int32Array(1 << 16);
  let used = 0;
  const r2 = radius * radius;
  for (let c = 0; c < customers; c++) {
    terminalStart[c] = used;
    const gx = cellOf(cx[c] as number);
    const gy = cellOf(cy[c] as number);
    const found: number[] = [];
    for (let y = Math.max(0, gy - 1); y <= Math.min(cells - 1, gy + 1); y++) {
      for (let x = Math.max(0, gx - 1); x <= Math.min(cells - 1, gx + 1); x++) {
        for (const t of grid[y * cells + x] ?? []) {
          const dx = (tx[t] as number) - (cx[c] as number);
          const dy = (ty[t] as number) - (cy[c] as number);
          if (dx * dx + dy * dy < r2) found.push(t);
        }
      }
    }
    found.sort((a, b) => a - b);
    if (used + found.length > list.length) list = grow(list, Math.max(list.length * 2, used + found.length));
    list.set(found, used);
    used += found.length;
  }
  terminalStart[customers] = used;
  return { meanAmount, stdAmount, txPerDay, terminalStart, terminalList: list.slice(0, used) };
}

/**
 * Pure: how many compromises start on `day` at `perDay` a day. A whole rate gives that many every day (the Handbook's
 * draws, unchanged); a fractional one spreads them evenly, 1/28 a day being one every 28th day, with no random draw.
 */
export const dailyCount = (perDay: number, day: number): number =>
  Math.floor((day + 1) * perDay + 1e-9) - Math.floor(day * perDay + 1e-9);

/**
 * Generates the Handbook's dataset day by day in event-time order, in batches of at most `config.batchSize` rows.
 * Fraud is decided as the day is generated (scenario 1, then 2, then 3 overriding), so memory is one day.
 */
export function* simulate(config: SimulatorConfig, seed: number): Generator<Transaction[]> {
  const random = new Random(seed);
  const p = makeProfiles(config, random);
  const start = Date.parse(`${config.startDate}T00:00:00Z`);
  const terminalCompromisedUntil = new Int32Array(config.terminals).fill(-1);
  const customerCompromisedUntil = new Int32Array(config.customers).fill(-1);
  let nextId = 0;
  let capacity = 1 << 16;
  let times = new Int32Array(capacity);
  let owners = new Int32Array(capacity);
  let terminalsUsed = new Int32Array(capacity);
  let amounts = new Float64Array(capacity);
  for (let day = 0; day < config.days; day++) {
    let n = 0;
    for (let c = 0; c < config.customers; c++) {
      const first = p.terminalStart[c] as number;
      const available = (p.terminalStart[c + 1] as number) - first;
      const count = random.poisson(p.txPerDay[c] as number);
      for (let k = 0; k < count; k++) {
        const time = Math.round(random.normal(DAY_S / 2, 20_000));
        if (time <= 0 || time >= DAY_S) continue;
        let amount = random.normal(p.meanAmount[c] as number, p.stdAmount[c] as number);
        if (amount < 0) amount = random.uniform(0, (p.meanAmount[c] as number) * 2);
        if (available === 0) continue;
        if (n === capacity) {
          capacity *= 2;
          times = grow(times, capacity);
          owners = grow(owners, capacity);
          terminalsUsed = grow(terminalsUsed, capacity);
          amounts = grow(amounts, capacity);
        }
        times[n] = time;
        owners[n] = c;
        terminalsUsed[n] = p.terminalList[first + random.int(available)] as number;
        amounts[n] = Math.round(amount * 100) / 100;
        n++;
      }
    }
    // Sort by time of day, ties in generation (customer) order: one numeric sort of packed keys, no comparator.
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (times[i] as number) * INDEX_SPACE + i;
    keys.sort();
    const rows: Transaction[] = new Array(n);
    const dayStart = start + day * DAY_S * 1000;
    for (let j = 0; j < n; j++) {
      const i = (keys[j] as number) % INDEX_SPACE;
      rows[j] = {
        TRANSACTION_ID: 0,
        TX_DATETIME: dayStart + (times[i] as number) * 1000,
        CUSTOMER_ID: owners[i] as number,
        TERMINAL_ID: terminalsUsed[i] as number,
        TX_AMOUNT: amounts[i] as number,
        TX_FRAUD: 0,
        TX_FRAUD_SCENARIO: 0,
      };
    }
    for (let i = 0; i < dailyCount(config.compromisedTerminalsPerDay, day); i++) {
      const t = random.int(config.terminals);
      terminalCompromisedUntil[t] = Math.max(
        terminalCompromisedUntil[t] as number,
        day + config.compromisedTerminalDays - 1,
      );
    }
    for (let i = 0; i < dailyCount(config.compromisedCustomersPerDay, day); i++) {
      const c = random.int(config.customers);
      customerCompromisedUntil[c] = Math.max(
        customerCompromisedUntil[c] as number,
        day + config.compromisedCustomerDays - 1,
      );
    }
    for (const row of rows) {
      row.TRANSACTION_ID = nextId++;
      if (row.TX_AMOUNT > config.amountThreshold) {
        row.TX_FRAUD = 1;
        row.TX_FRAUD_SCENARIO = 1;
      }
      if ((terminalCompromisedUntil[row.TERMINAL_ID] as number) >= day) {
        row.TX_FRAUD = 1;
        row.TX_FRAUD_SCENARIO = 2;
      }
      if (
        (customerCompromisedUntil[row.CUSTOMER_ID] as number) >= day &&
        random.next() < config.compromisedCustomerShare
      ) {
        row.TX_AMOUNT = Math.round(row.TX_AMOUNT * config.compromisedAmountFactor * 100) / 100;
        row.TX_FRAUD = 1;
        row.TX_FRAUD_SCENARIO = 3;
      }
    }
    for (let i = 0; i < rows.length; i += config.batchSize) yield rows.slice(i, i + config.batchSize);
  }
}
