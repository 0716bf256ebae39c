import type { FeatureValue } from '@bnpl/feature-definitions';
import type { DayReplayReport, DecisionOutcome, DecisionReplay, DecisionView, FeatureReplay, ReplayedValue, VerifyReport } from '@bnpl/decision-records';

// The decisions API's JSON, written once here (snake_case, money as the REST API writes it everywhere:
// {"amount_minor": "12000", "currency": "EUR"}), never the domain objects.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const time = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export function valueJson(value: FeatureValue): Json {
  if (typeof value === 'object') return { amount_minor: String(value.amountMinor), currency: value.currency };
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

export function outcomeJson(outcome: DecisionOutcome | null): Json {
  if (!outcome) return null;
  return {
    decision: outcome.decision,
    reason_codes: [...outcome.reasonCodes],
    repayment: outcome.repayment,
    posted_by: outcome.postedBy,
    posted_at: time(outcome.postedAt),
    labelled_at: time(outcome.labelledAt),
  };
}

/** `GET /v1/decisions/{id}`: the record exactly as served, feature by feature with its meaning. */
export function decisionJson(view: DecisionView): Json {
  const r = view.record;
  return {
    decision_id: r.decisionId,
    served_at: time(r.servedAt),
    edge: r.edge,
    principal: r.principal ? { id: r.principal.id, kind: r.principal.kind } : null,
    feature_service: r.featureService,
    request_context: Object.fromEntries(Object.entries(r.requestContext).map(([k, v]) => [k, valueJson(v)])),
    stream_watermark: time(r.streamWatermark),
    features: view.features.map((f) => ({ name: f.feature, description: f.description, definition: r.definitions[f.feature.slice(0, f.feature.indexOf(':'))] ?? null, definition_changed: f.definitionChanged })),
    results: r.rows.map((row) => ({
      entity_row: { ...row.entityRow },
      values: row.values.map((v) => ({ value: valueJson(v.value), status: v.status, event_time: time(v.eventTime), origin: v.origin, streamed: v.streamed })),
    })),
    outcome: outcomeJson(view.outcome),
    record: { instance_id: r.instanceId, sequence: r.sequence, previous_sequence: r.previousSequence, previous_hash: r.previousHash, hash: view.hash, intact: view.intact },
    repeats: view.repeats.map((x) => ({ instance_id: x.instanceId, sequence: x.sequence, served_at: time(x.servedAt) })),
  };
}

const replayed = (v: ReplayedValue): Json => ({ value: valueJson(v.value), status: v.status, event_time: time(v.eventTime) });

function featureReplayJson(f: FeatureReplay): Json {
  switch (f.verdict) {
    case 'equal':
      return { feature: f.feature, verdict: f.verdict, served: replayed(f.served) };
    case 'differs':
      return { feature: f.feature, verdict: f.verdict, served: replayed(f.served), replayed: replayed(f.replayed) };
    case 'not_replayable':
      return { feature: f.feature, verdict: f.verdict, served: replayed(f.served), reason: f.reason };
  }
}

/** `POST /v1/decisions/{id}/replay`. */
export function replayJson(replay: DecisionReplay): Json {
  return {
    decision_id: replay.decisionId,
    served_at: time(replay.servedAt),
    verdict: replay.verdict,
    counts: { equal: replay.equal, differs: replay.differs, not_replayable: replay.notReplayable },
    changed_definitions: [...replay.changedDefinitions],
    results: replay.rows.map((row) => ({ entity_row: { ...row.entityRow }, features: row.features.map(featureReplayJson) })),
  };
}

/** A day's verification. */
export function verifyJson(report: VerifyReport): Json {
  return {
    from: time(report.from),
    to: time(report.to),
    records: report.records,
    complete: report.complete,
    untouched: report.untouched,
    missing: report.missing,
    dropped: report.dropped,
    unpublished: report.unpublished,
    edited: report.edited,
    broken_links: report.brokenLinks,
    gaps: report.gaps.map((g) => ({ instance_id: g.instanceId, from: g.from, to: g.to, kind: g.kind })),
    problems: report.problems.map((p) => ({ decision_id: p.decisionId, instance_id: p.instanceId, sequence: p.sequence, problem: p.problem, detail: p.detail })),
    instances: report.instances.map((i) => ({ instance_id: i.instanceId, first_sequence: i.firstSequence, last_sequence: i.lastSequence, records: i.records, closed: i.closed, last_batch_at: time(i.lastBatchAt) })),
    notes: [...report.notes],
  };
}

/** A whole day replayed. */
export function dayReplayJson(report: DayReplayReport): Json {
  return {
    day: report.day,
    decisions: report.decisions,
    verdicts: { equal: report.verdicts.equal, differs: report.verdicts.differs, partial: report.verdicts.partial, not_replayable: report.verdicts.notReplayable },
    features: report.features.map((f) => ({ feature: f.feature, equal: f.equal, differs: f.differs, not_replayable: f.notReplayable, skew_rate: f.skewRate })),
    examples: report.examples.map((e) => ({ decision_id: e.decisionId, entity_row: { ...e.entityRow }, difference: featureReplayJson(e.difference) })),
    seconds: report.seconds,
    decisions_per_second: report.decisionsPerSecond,
  };
}
