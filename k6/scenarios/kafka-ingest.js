// Kafka-level load: simulated transactions straight onto the transactions topic at a constant rate, through our
// own k6 extension (k6/xk6-kafka: franz-go, built into k6 by `npx node k6/scripts/build-k6-kafka.ts`).
//   $K6_KAFKA run -e BROKERS=$KAFKA_BROKERS -e TOPIC=transactions [-e RATE=2000] [-e BATCH=1] [-e DURATION=1m] \
//     k6/scenarios/kafka-ingest.js
// RATE is records per second; each iteration sends BATCH records (raise it past ~20k/s, where k6's per-iteration
// cost dominates). Every record is acknowledged by all in-sync replicas before teardown passes.
import { fail } from 'k6';
import { Counter } from 'k6/metrics';
import kafka from 'k6/x/fraud-kafka';
import { droppedAtMost, envNumber } from '../lib/target.js';

const brokers = __ENV.BROKERS;
const topic = __ENV.TOPIC || 'transactions';
if (!brokers) throw new Error('BROKERS is required (host:port,…)');
const rate = envNumber('RATE', 2000);
const duration = __ENV.DURATION || '1m';
const batch = envNumber('BATCH', 1);
const records = new Counter('kafka_records');

export const options = {
  scenarios: {
    produce: {
      executor: 'constant-arrival-rate',
      rate: Math.ceil(rate / batch),
      timeUnit: '1s',
      duration,
      preAllocatedVUs: envNumber('VUS', 100),
      maxVUs: envNumber('MAX_VUS', 1000),
    },
  },
  thresholds: {
    dropped_iterations: [droppedAtMost(Math.ceil(rate / batch), duration, 0.01)],
    kafka_records: [`rate>${rate * 0.97}`],
  },
};

const producer = () =>
  kafka.producer({ brokers, topic, txPrefix: `${__ENV.RUN_ID || 'k6kafka'}-`, lingerMs: envNumber('LINGER_MS', 5) });

export default function () {
  producer().send(batch);
  records.add(batch);
}

export function teardown() {
  const p = producer();
  p.flush(30000);
  const s = p.stats();
  console.log(
    `kafka: sent ${s.sent}, acknowledged ${s.acked} (${Math.round(s.ackedPerSec)}/s to the last ack), failed ${s.failed}`,
  );
  if (s.failed > 0 || s.acked < s.sent)
    fail(`kafka: ${s.failed} failed, ${s.sent - s.acked} unacknowledged: ${s.lastError}`);
}
