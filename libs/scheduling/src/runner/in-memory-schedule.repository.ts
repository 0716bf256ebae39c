import type { LockOutcome, ScheduleLedger, ScheduleRecord, ScheduleRepository, ScheduleRun } from './schedule-repository.port';
import type { ScheduleDefinition } from '../schedules/schedule-definition';

/**
 * The reference ScheduleRepository, in memory: for one process, and for tests of the scheduler. Work under
 * the lock sees its own changes; they become visible to `list` when it resolves, and vanish when it rejects.
 */
export class InMemoryScheduleRepository implements ScheduleRepository {
  private records = new Map<string, ScheduleRecord>();
  private locked = false;

  async list(): Promise<ScheduleRecord[]> {
    return sortedValues(this.records);
  }

  async withLock<T>(work: (ledger: ScheduleLedger) => Promise<T>): Promise<LockOutcome<T>> {
    if (this.locked) return { acquired: false };
    this.locked = true;
    const draft = new Map(this.records);
    try {
      const value = await work(new DraftLedger(draft));
      this.records = draft;
      return { acquired: true, value };
    } finally {
      this.locked = false;
    }
  }
}

class DraftLedger implements ScheduleLedger {
  constructor(private readonly records: Map<string, ScheduleRecord>) {}

  async list(): Promise<ScheduleRecord[]> {
    return sortedValues(this.records);
  }

  async define(definition: ScheduleDefinition, since: Date): Promise<void> {
    const stored = this.records.get(definition.name);
    this.records.set(definition.name, { lastRun: null, lastError: null, ...stored, definition, since });
  }

  async remove(name: string): Promise<void> {
    this.records.delete(name);
  }

  async recordRun(name: string, run: ScheduleRun): Promise<void> {
    const stored = this.records.get(name);
    if (stored) this.records.set(name, { ...stored, lastRun: run, lastError: null });
  }

  async recordFailure(name: string, message: string, at: Date): Promise<void> {
    const stored = this.records.get(name);
    if (stored) this.records.set(name, { ...stored, lastError: { message, at, failures: (stored.lastError?.failures ?? 0) + 1 } });
  }
}

// By code unit, as PostgreSQL's "C" collation orders them.
const sortedValues = (records: Map<string, ScheduleRecord>) => [...records.values()].sort((a, b) => (a.definition.name < b.definition.name ? -1 : 1));
