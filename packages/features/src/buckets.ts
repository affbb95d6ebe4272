/** Hour buckets of one key, ascending by hour: counts and amount sums (cents). */
export class HourBuckets {
  hours: number[] = [];
  n: number[] = [];
  s: number[] = [];

  add(hour: number, count: number, cents: number): void {
    let i = this.hours.length;
    while (i > 0 && this.hours[i - 1]! > hour) i--;
    if (i > 0 && this.hours[i - 1] === hour) {
      this.n[i - 1]! += count;
      this.s[i - 1]! += cents;
      return;
    }
    this.hours.splice(i, 0, hour);
    this.n.splice(i, 0, count);
    this.s.splice(i, 0, cents);
  }

  /** Drops the buckets at or before `hour`. */
  prune(hour: number): void {
    let i = 0;
    while (i < this.hours.length && this.hours[i]! <= hour) i++;
    if (i === 0) return;
    this.hours.splice(0, i);
    this.n.splice(0, i);
    this.s.splice(0, i);
  }
}

/** Fraud labels of one terminal: counts by (transaction hour, hour the label became known). */
export class FraudBuckets {
  txHours: number[] = [];
  knownHours: number[] = [];
  n: number[] = [];

  add(txHour: number, knownHour: number): void {
    for (let i = 0; i < this.n.length; i++) {
      if (this.txHours[i] === txHour && this.knownHours[i] === knownHour) {
        this.n[i]! += 1;
        return;
      }
    }
    this.txHours.push(txHour);
    this.knownHours.push(knownHour);
    this.n.push(1);
  }

  prune(hour: number): void {
    for (let i = this.n.length - 1; i >= 0; i--) {
      if (this.txHours[i]! <= hour) {
        this.txHours.splice(i, 1);
        this.knownHours.splice(i, 1);
        this.n.splice(i, 1);
      }
    }
  }
}
