// Produces records with kafkajs, then consumes them in a consumer group, and prints what it saw as JSON.
// Usage: node roundtrip.js <bootstrap> <topic> <group> <count>
const { Kafka, logLevel } = require('kafkajs');

async function main() {
  const [bootstrap, topic, group, countArg] = process.argv.slice(2);
  const count = Number(countArg);
  const kafka = new Kafka({ clientId: 'sluice-it', brokers: [bootstrap], logLevel: logLevel.WARN });

  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();

  const producer = kafka.producer();
  await producer.connect();
  const messages = [];
  for (let i = 0; i < count; i++) {
    messages.push({ key: `key-${i}`, value: `value-${i}` });
  }
  const sent = await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: group, sessionTimeout: 10000, heartbeatInterval: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = new Set();
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${seen.size} of ${count} records consumed`)), 60000);
    consumer.run({
      eachMessage: async ({ message }) => {
        seen.add(`${message.key}=${message.value}`);
        if (seen.size === count) {
          clearTimeout(timer);
          resolve();
        }
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  console.log(JSON.stringify({ partitionsWritten: sent.length, consumed: seen.size }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
