/**
 * One feature read through rest-gateway as the stack comes up, so that the banner can name a recorded
 * decision: its id (the answer's `x-decision-id`) is what `fs decisions show` takes. Null when the read
 * fails: the banner then says how to make one.
 */
export async function demoDecision(rest: string, apiKey: string): Promise<string | null> {
  try {
    const response = await fetch(`${rest}/v1/customers/1/features?service=credit_decision_v1&merchant_id=1&requested_amount_minor=12000&currency=EUR`, {
      headers: { 'x-api-key': apiKey },
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    return response.ok ? response.headers.get('x-decision-id') : null;
  } catch {
    return null;
  }
}

/** The banner's lines on decision records. */
export function decisionBannerLines(rest: string, apiKey: string, decisionId: string | null): string {
  const fs = `BNPL_API_KEY=${apiKey} npm run fs -- --api ${rest}`;
  const made = decisionId
    ? `  Decision ${decisionId} was just served (customer 1, credit_decision_v1) and recorded; every read answers with its x-decision-id:\n`
    : '  Every read answers with an x-decision-id (send your own in that header) and is recorded:\n';
  return (
    made +
    `  ${fs} decisions show ${decisionId ?? '<x-decision-id>'}     (what was served: values, statuses, origins, meanings)\n` +
    `  ${fs} decisions replay ${decisionId ?? '<x-decision-id>'}     (recomputed from the offline history: run the materialize job first)\n` +
    `  ${fs} decisions verify --day ${new Date().toISOString().slice(0, 10)}     (today's records complete and untouched)\n`
  );
}
