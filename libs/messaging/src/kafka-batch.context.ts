import { BaseRpcContext } from '@nestjs/microservices';

/** Where a batch handed to an `@EventPattern` handler comes from: `@Ctx() context: KafkaBatchContext`. */
export class KafkaBatchContext extends BaseRpcContext<[topic: string, partition: number]> {
  /** The topic as consumed (with the environment's prefix). */
  getTopic(): string {
    return this.args[0];
  }

  getPartition(): number {
    return this.args[1];
  }
}
