import { compareEntityIds } from '@bnpl/feature-definitions';
import type { ParityMismatch } from './check-parity';

/**
 * Keeps at most `limit` mismatch examples, favouring variety: once full, an example of a kind not yet
 * shown (`view:feature`, or a missing / orphaned row of a view) replaces the latest example of the most
 * shown kind. So one feature broken for a million entities cannot hide another broken for one.
 */
export class MismatchSamples {
  readonly #kept: ParityMismatch[] = [];
  readonly #perKind = new Map<string, number>();

  constructor(private readonly limit: number) {}

  offer(sample: ParityMismatch): void {
    if (this.limit === 0) return;
    const kind = kindOf(sample);
    if (this.#kept.length < this.limit) return this.#add(kind, sample);
    if (this.#perKind.has(kind)) return;
    let most = 1;
    for (const n of this.#perKind.values()) most = Math.max(most, n);
    if (most === 1) return; // every example already shows a different kind
    const victim = this.#kept.findLastIndex((s) => this.#perKind.get(kindOf(s)) === most);
    const dropped = kindOf(this.#kept[victim]);
    this.#kept.splice(victim, 1);
    this.#perKind.set(dropped, most - 1);
    this.#add(kind, sample);
  }

  /** In entity id order, then view and feature. */
  list(): ParityMismatch[] {
    return [...this.#kept].sort((a, b) => compareEntityIds(a.entityId, b.entityId) || a.view.localeCompare(b.view) || a.feature.localeCompare(b.feature));
  }

  #add(kind: string, sample: ParityMismatch): void {
    this.#kept.push(sample);
    this.#perKind.set(kind, (this.#perKind.get(kind) ?? 0) + 1);
  }
}

function kindOf(s: ParityMismatch): string {
  return s.kind === 'value' ? `${s.view}:${s.feature}` : `${s.view}:${s.kind}`;
}
