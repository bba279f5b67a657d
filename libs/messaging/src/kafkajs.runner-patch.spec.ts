import { StoppedConsumerFetchError, kafkajsRunnerPrototype, patchKafkajsRunner } from './kafkajs.runner-patch';

describe('the kafkajs runner fix (a stopped consumer spinning in its fetch loop)', () => {
  beforeAll(() => patchKafkajsRunner());

  it('given a runner no longer running, when a fetcher fetches, then it is refused (kafkajs answered [] at once, for ever)', async () => {
    await expect(kafkajsRunnerPrototype().fetch.call({ running: false }, 1)).rejects.toBeInstanceOf(StoppedConsumerFetchError);
  });

  it('given a running runner, when a fetcher fetches, then kafkajs fetches as before', async () => {
    const runner = {
      running: true,
      consumerGroup: { fetch: async (nodeId: number) => [`batch from ${nodeId}`] },
      instrumentationEmitter: { emit: () => undefined },
      heartbeat: async () => undefined,
    };
    await expect(kafkajsRunnerPrototype().fetch.call(runner, 2)).resolves.toEqual(['batch from 2']);
  });

  it('is applied once, however often the library is loaded', () => {
    const patched = kafkajsRunnerPrototype().fetch;
    patchKafkajsRunner();
    expect(kafkajsRunnerPrototype().fetch).toBe(patched);
  });
});
