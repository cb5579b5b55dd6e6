/**
 * Triggers: which events run which service. {@link dev.sluice.services.trigger.TriggerSpec} and
 * {@link dev.sluice.services.trigger.FilterSpec} are the model, {@link dev.sluice.services.trigger.TriggerRouter}
 * matches {@link dev.sluice.services.trigger.Event}s against them, {@link dev.sluice.services.trigger.CloudEventCodec}
 * reads and writes events as Kafka records, and {@link dev.sluice.services.trigger.CronScheduler} with
 * {@link dev.sluice.services.trigger.ServiceRunEvents} turns schedules and manual runs into events.
 */
package dev.sluice.services.trigger;
