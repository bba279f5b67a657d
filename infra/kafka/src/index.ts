export { startLocalKafka, stopLocalKafka, type LocalKafkaOptions } from './local-kafka';
