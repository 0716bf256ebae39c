import { z } from 'zod';
import { type SchemaObject } from '@nestjs/swagger';
import { type CatalogDescription } from '@bnpl/serving';
import { catalogSchema, featureDescriptionSchema, featureServiceSchema } from '../catalog/catalog.schema';
import {
  decisionDayVerificationSchema,
  decisionOutcomeAnswerSchema,
  decisionOutcomeRequestSchema,
  decisionReplayRunSchema,
  decisionReplaySchema,
  decisionSchema,
  decisionTrainingSetAnswerSchema,
  decisionTrainingSetRequestSchema,
} from '../decisions/decisions.schema';
import { problemSchema } from '../errors/problem.schema';
import { feastErrorDetailSchema, feastErrorSchema, feastRequestSchema, feastResponseSchema, feastStatusSchema } from '../feast/feast.schema';
import { featureResultSchema, featuresResponseSchema, featureStatusSchema, onlineFeaturesRequestSchema } from '../features/online-features.schema';
import { featureValueSchema, moneySchema, valueTypeSchema } from '../http/values.schema';
import { createJobRequestSchema, jobDetailSchema, jobEnvelopeSchema, jobListSchema } from '../jobs/jobs.schema';
import { scheduleListSchema } from '../schedules/schedules.schema';
import { apiKeySchema, createdKeySchema, createKeyRequestSchema, keyEnvelopeSchema, keyListSchema, rotatedKeySchema, rotateKeyRequestSchema } from '../keys/keys.schema';

/**
 * Every schema the OpenAPI document names, by component name: the very zod schemas that validate request
 * bodies (built for the served catalog) and that the e2e tests check answers against.
 */
export function apiSchemas(catalog: CatalogDescription) {
  return {
    Problem: problemSchema,
    Money: moneySchema,
    ValueType: valueTypeSchema,
    FeatureValue: featureValueSchema,
    FeatureStatus: featureStatusSchema,
    FeatureResult: featureResultSchema,
    OnlineFeaturesRequest: onlineFeaturesRequestSchema(catalog),
    FeaturesResponse: featuresResponseSchema,
    FeastStatus: feastStatusSchema,
    FeastGetOnlineFeaturesRequest: feastRequestSchema(catalog),
    FeastGetOnlineFeaturesResponse: feastResponseSchema,
    FeastErrorDetail: feastErrorDetailSchema,
    FeastError: feastErrorSchema,
    FeatureDescription: featureDescriptionSchema,
    FeatureService: featureServiceSchema,
    Catalog: catalogSchema,
    CreateJobRequest: createJobRequestSchema,
    JobEnvelope: jobEnvelopeSchema,
    JobDetail: jobDetailSchema,
    JobList: jobListSchema,
    ScheduleList: scheduleListSchema,
    CreateKeyRequest: createKeyRequestSchema,
    RotateKeyRequest: rotateKeyRequestSchema,
    ApiKey: apiKeySchema,
    CreatedKey: createdKeySchema,
    RotatedKey: rotatedKeySchema,
    KeyEnvelope: keyEnvelopeSchema,
    KeyList: keyListSchema,
    Decision: decisionSchema,
    DecisionOutcomeRequest: decisionOutcomeRequestSchema,
    DecisionOutcomeAnswer: decisionOutcomeAnswerSchema,
    DecisionReplay: decisionReplaySchema,
    DecisionDayVerification: decisionDayVerificationSchema,
    DecisionReplayRun: decisionReplayRunSchema,
    DecisionTrainingSetRequest: decisionTrainingSetRequestSchema,
    DecisionTrainingSetAnswer: decisionTrainingSetAnswerSchema,
  } satisfies Record<string, z.ZodType>;
}

/** A component schema's name, for `$ref`s. */
export type ApiSchemaName = keyof ReturnType<typeof apiSchemas>;

/** `{ $ref }` to a component schema. */
export function schemaRef(name: ApiSchemaName): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

/**
 * `components.schemas` of the OpenAPI 3.0 document: each named schema as JSON Schema (zod's `openapi-3.0`
 * target, input side), the named ones referenced by `$ref` wherever they are used.
 */
export function openApiComponentSchemas(catalog: CatalogDescription): Record<string, SchemaObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(apiSchemas(catalog))) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'openapi-3.0',
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
    // zod spells RFC 3339 out as a long regular expression; `format: date-time` says it.
    override: ({ jsonSchema }) => {
      if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
    },
  });
  // `$id` is JSON Schema, not an OpenAPI 3.0 schema keyword.
  for (const schema of Object.values(schemas)) delete schema.$id;
  // zod's JSON Schema types are a superset of the OpenAPI ones Nest declares; the target makes them agree.
  return schemas as Record<string, SchemaObject>;
}
