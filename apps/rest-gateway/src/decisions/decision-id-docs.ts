import { MAX_DECISION_ID_LENGTH } from '@bnpl/decision-records';
export { DECISION_ID_HEADER } from '@bnpl/decision-records-nest';

export const MAX_DECISION_ID_LENGTH_TEXT = `1-${MAX_DECISION_ID_LENGTH} letters, digits and . _ : -, starting with a letter or digit`;
