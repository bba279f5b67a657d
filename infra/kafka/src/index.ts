export {
  kafkaNodeAddress,
  kafkaNodeIds,
  kafkaNodePid,
  killKafkaNode,
  quorumLeader,
  startKafkaNode,
  startLocalKafka,
  stopLocalKafka,
  type LocalKafkaOptions,
} from './local-kafka';
