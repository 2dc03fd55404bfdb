import type { PodEvent } from '../status/events.js';

/**
 * The local runtime's own record of what happened to each container (docs/design.md §4: the engine's
 * events are not tagged by branch and may arrive late), as the PodEvent stream the status mapper reads.
 */
export class Recorder {
  readonly events: PodEvent[] = [];
  private readonly runs = new Map<string, number>();
  private readonly listeners: Array<(event: PodEvent) => void> = [];

  onEvent(listener: (event: PodEvent) => void): void {
    this.listeners.push(listener);
  }

  emit(event: PodEvent): void {
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
  }

  /** A container's process started; returns its attempt (0 first, n for restart n). */
  started(container: string): number {
    const attempt = this.runs.get(container) ?? 0;
    this.runs.set(container, attempt + 1);
    this.emit({ type: 'ContainerStarted', container, at: new Date(), attempt });
    return attempt;
  }

  exited(container: string, exitCode: number, message: string): void {
    this.emit({ type: 'ContainerExited', container, at: new Date(), exitCode, ...(message !== '' && { message }) });
  }

  waiting(container: string, reason: string, message?: string): void {
    this.emit({
      type: 'ContainerWaiting',
      container,
      at: new Date(),
      reason,
      ...(message !== undefined && { message }),
    });
  }
}
