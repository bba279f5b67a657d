import type { Provider } from '@nestjs/common';
import { CheckBackReminderChannels } from './check-back-reminder.channels';
import { CheckBackRemindersScheduler } from './check-back-reminders.scheduler';
import { SendCheckBackRemindersUseCase } from './send-check-back-reminders.usecase';

/** The closure check-back reminders' part of the alerter (one line in alerter.module.ts). */
export const checkBackReminderProviders: Provider[] = [
  CheckBackReminderChannels,
  SendCheckBackRemindersUseCase,
  CheckBackRemindersScheduler,
];
