import type { PodShape } from '../model/pod-shape.js';
import type { PodEvent } from './events.js';
import { PodStatusTracker } from './pod-status.js';

/**
 * The events read so far, applied once each: a poll applies only the events it adds. The history
 * reader may say an earlier event differently once it knows what came next (a back-off that turned
 * out to be a caught failure); then the status is built again from the start.
 */
export class PodEventFeed {
  private tracker: PodStatusTracker;
  private applied: string[] = [];

  constructor(private readonly shape: PodShape) {
    this.tracker = new PodStatusTracker(shape);
  }

  update(events: readonly PodEvent[]): PodStatusTracker {
    const keys = events.map((e) => JSON.stringify(e));
    if (keys.length < this.applied.length || this.applied.some((key, i) => key !== keys[i])) {
      this.tracker = new PodStatusTracker(this.shape);
      this.applied = [];
    }
    for (let i = this.applied.length; i < events.length; i++) this.tracker.apply(events[i]!);
    this.applied = keys;
    return this.tracker;
  }
}
