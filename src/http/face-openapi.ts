import type { TSchema } from '@sinclair/typebox';

/**
 * What a face says about itself for the OpenAPI document, beside its routes: how it authenticates (a security
 * scheme whose description is the signature recipe), what its errors mean, which media types its routes speak,
 * and examples taken from the vendor's pages (the seeds). The routes' own schemas are the rest of the document.
 */

export interface Example {
  summary: string;
  value: unknown;
  /** Where the example comes from (a seed and its section), so a reader can check it. */
  source?: string;
}

/** Examples of one operation: its request body, and answers by status code. */
export interface OperationExamples {
  request?: Example[];
  responses?: Record<string, Example[]>;
}

/** A route as the document sees it, for the face to add what its route schemas cannot say. */
export interface DocumentedRoute {
  operationId: string;
  method: string;
  url: string;
  config: Record<string, unknown>;
}

/** Additions for one route's operation in the document only: nothing here validates or serializes a request. */
export interface OperationExtras {
  /** Headers every request must carry (parameters, beside the security scheme). */
  headers?: TSchema;
  /** A more precise request body than the route validates with, where the face checks parts of it itself. */
  body?: TSchema;
  /** Media types of the answers (default application/json). */
  produces?: string[];
  /** Media types of request bodies (default application/json). */
  consumes?: string[];
  /** A unique operation id where several URLs serve one operation (default: the route's own). */
  operationId?: string;
  description?: string;
}

export interface FaceOpenApi {
  /** The tag's description: what the face is, where its routes live, which vendor documents it. */
  description: string;
  securitySchemeName: string;
  /** The name of the face's error document in components/schemas (every error response refers to it). */
  errorSchemaName: string;
  /** An OpenAPI security scheme object. */
  securityScheme: Record<string, unknown>;
  /** Each error status the face answers with, and what it means (the error body's schema is the route's 4xx/5xx). */
  errors: Record<string, string>;
  /** Statuses only the authentication gives: left out of public operations. */
  authStatuses?: string[];
  examples: Record<string, OperationExamples>;
  /** Errors with example bodies, by status, shown on every operation of the face. */
  errorExamples?: Record<string, Example[]>;
  operation?(route: DocumentedRoute): OperationExtras;
}
