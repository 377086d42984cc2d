/**
 * Locks that keep concurrent reconciles of one target from racing each other. Two stacks in the same project must
 * not both see it missing and both create it (a duplicate project), so a stack's reconcile holds its project's
 * lock; the teardown sweep deletes across projects, so it holds the target exclusively. Stacks of different
 * projects still run in parallel.
 */

/** A release function returned by an acquired lock. */
type Release = () => void;

/** A first-in first-out mutex. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<Release> {
    let release!: Release;
    const next = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return acquired;
  }
}

/** A readers-writer lock in which a waiting writer blocks new readers, so a sweep is never starved. */
class ReadWriteLock {
  private readers = 0;
  private writing = false;
  private queue: { write: boolean; grant: () => void }[] = [];

  async read(): Promise<Release> {
    if (!this.writing && this.queue.length === 0) this.readers += 1;
    else await new Promise<void>((grant) => this.queue.push({ write: false, grant }));
    return once(() => {
      this.readers -= 1;
      this.drain();
    });
  }

  async write(): Promise<Release> {
    if (!this.writing && this.readers === 0 && this.queue.length === 0) this.writing = true;
    else await new Promise<void>((grant) => this.queue.push({ write: true, grant }));
    return once(() => {
      this.writing = false;
      this.drain();
    });
  }

  private drain(): void {
    while (this.queue.length > 0 && !this.writing) {
      const head = this.queue[0]!;
      if (head.write) {
        if (this.readers > 0) return;
        this.queue.shift();
        this.writing = true;
        head.grant();
        return;
      }
      this.queue.shift();
      this.readers += 1;
      head.grant();
    }
  }
}

function once(fn: () => void): Release {
  let done = false;
  return () => {
    if (!done) (done = true), fn();
  };
}

/** TargetLocks serialises work on one target as described above. */
export interface TargetLocks {
  /** withProject runs `fn` holding the target shared and `project` exclusively. */
  withProject<T>(target: string, project: string, fn: () => Promise<T>): Promise<T>;
  /** withTarget runs `fn` holding the whole target exclusively. */
  withTarget<T>(target: string, fn: () => Promise<T>): Promise<T>;
}

/** createTargetLocks returns an empty set of locks; entries are made on first use and live as long as the set. */
export function createTargetLocks(): TargetLocks {
  const targets = new Map<string, ReadWriteLock>();
  const projects = new Map<string, Mutex>();
  const targetLock = (t: string) => targets.get(t) ?? targets.set(t, new ReadWriteLock()).get(t)!;
  const projectLock = (key: string) => projects.get(key) ?? projects.set(key, new Mutex()).get(key)!;

  return {
    async withProject(target, project, fn) {
      const releaseTarget = await targetLock(target).read();
      try {
        const releaseProject = await projectLock(`${target}\u0000${project}`).acquire();
        try {
          return await fn();
        } finally {
          releaseProject();
        }
      } finally {
        releaseTarget();
      }
    },
    async withTarget(target, fn) {
      const release = await targetLock(target).write();
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}
