/**
 * kafkajs 2.2.4 vs @platformatic/kafka consuming the same pre-filled topic on the stack's broker, one after the
 * other in one run, doing no work per message: msg/s and CPU seconds per 100k messages. Last line: JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTopicsAndWait } from '@fraud-operator/kafka/topics';
import { loadStackEnv } from '@fraud-operator/stack/env';
import { Consumer, stringDeserializers } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';

const env = loadStackEnv();
const brokers = env.KAFKA_BROKERS.split(',');
const COUNT = Number(process.env.BENCH_MESSAGES ?? 200_000);
const topic = `bench-clients-${Date.now()}`;
const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING });

async function fill(): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsAndWait(admin, { topics: [{ topic, numPartitions: 4 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < COUNT; i += 5000) {
    const messages = [];
    for (let j = i; j < Math.min(COUNT, i + 5000); j++) {
      messages.push({
        key: `c${j % 1000}`,
        value: JSON.stringify({
          txId: `tx-${j}`,
          ts: t0 + j,
          customerId: `c${j % 1000}`,
          terminalId: `t${j % 300}`,
          amount: 12.5,
        }),
      });
    }
    await producer.send({ topic, messages, acks: 1 });
  }
  await producer.disconnect();
}

interface Result {
  msg_s: number;
  cpu_s_per_100k: number;
}

function measure(count: () => number, done: Promise<void>): Promise<Result> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return done.then(() => {
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return {
      msg_s: Math.round(count() / secs),
      cpu_s_per_100k: Number((((cpu.user + cpu.system) / 1e6) * (100_000 / count())).toFixed(3)),
    };
  });
}

async function kafkajsRun(): Promise<Result> {
  const consumer = kafka.consumer({
    groupId: `${topic}-kafkajs`,
    maxBytesPerPartition: 1_048_576,
    maxWaitTimeInMs: 50,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let n = 0;
  let finish = () => {};
  const done = new Promise<void>((r) => {
    finish = r;
  });
  const result = measure(() => n, done);
  await consumer.run({
    eachBatch: async ({ batch }) => {
      n += batch.messages.length;
      if (n >= COUNT) finish();
    },
  });
  const r = await result;
  await consumer.disconnect();
  return r;
}

async function platformaticRun(): Promise<Result> {
  const consumer = new Consumer({
    groupId: `${topic}-platformatic`,
    clientId: 'bench',
    bootstrapBrokers: brokers,
    deserializers: stringDeserializers,
  });
  let n = 0;
  let finish = () => {};
  const done = new Promise<void>((r) => {
    finish = r;
  });
  const result = measure(() => n, done);
  const stream = await consumer.consume({
    topics: [topic],
    mode: 'earliest',
    autocommit: false,
    maxWaitTime: 50,
    maxBytes: 4_194_304,
  });
  stream.on('data', () => {
    n++;
    if (n === COUNT) finish();
  });
  const r = await result;
  await stream.close();
  await consumer.close();
  return r;
}

await fill();
const kafkajs = await kafkajsRun();
const platformatic = await platformaticRun();
const admin = kafka.admin();
await admin.connect();
await admin.deleteTopics({ topics: [topic] });
await admin.disconnect();
const out = {
  messages: COUNT,
  kafkajs_msg_s: kafkajs.msg_s,
  kafkajs_cpu_s_per_100k: kafkajs.cpu_s_per_100k,
  platformatic_msg_s: platformatic.msg_s,
  platformatic_cpu_s_per_100k: platformatic.cpu_s_per_100k,
  platformatic_over_kafkajs: Number((platformatic.msg_s / kafkajs.msg_s).toFixed(2)),
  confluent_installs_from_registry: false,
};
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'results', 'kafka-clients.json'), `${JSON.stringify(out)}\n`);
console.log(JSON.stringify(out));
process.exit(0);
