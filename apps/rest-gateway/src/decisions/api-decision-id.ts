import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { DECISION_ID_HEADER, MAX_DECISION_ID_LENGTH_TEXT } from './decision-id-docs';

/** Documents the decision id a feature read takes and answers with (the same header both ways). */
export function ApiDecisionId(): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: DECISION_ID_HEADER,
      required: false,
      description: `Your id for this decision (${MAX_DECISION_ID_LENGTH_TEXT}); without one the answer gets a new time-ordered UUID (version 7). Either way the answer carries it back in the same header, and the decision (who asked, when, every value served with its status, event time and origin) is recorded: \`GET /v1/decisions/{id}\`.`,
    }),
  );
}
