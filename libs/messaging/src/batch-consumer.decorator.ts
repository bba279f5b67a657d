import { Controller, UseFilters, applyDecorators } from '@nestjs/common';
import { BatchErrorsFilter } from './batch-errors.filter';

/**
 * Marks a thin consumer class whose `@EventPattern(<public topic name>)` methods take a batch
 * (`readonly ConsumedMessage[]`) from the `KafkaBatchTransport`. Nest finds message handlers on
 * controllers only, hence `@Controller()` (it has no HTTP routes); errors go back to the
 * transport unchanged (`BatchErrorsFilter`), so that a failed batch is retried, never committed.
 */
export function BatchConsumer(): ClassDecorator {
  return applyDecorators(Controller(), UseFilters(new BatchErrorsFilter()));
}
