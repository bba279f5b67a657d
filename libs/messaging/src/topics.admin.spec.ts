import { replicationFor } from './topics.admin';

describe('replicationFor: topic replication follows the cluster', () => {
  it('gives three copies, two in sync, on a cluster of three brokers or more', () => {
    expect(replicationFor(3)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(replicationFor(5)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
  });

  it('gives one copy, one in sync, on a single broker', () => {
    expect(replicationFor(1)).toEqual({ replicationFactor: 1, minInsyncReplicas: 1 });
  });

  it('gives two copies, one in sync, on two brokers', () => {
    expect(replicationFor(2)).toEqual({ replicationFactor: 2, minInsyncReplicas: 1 });
  });
});
