/**
 * RFC 9457 problem details with stable machine codes. Domain error codes map to HTTP here, in
 * one exhaustive switch; the core never knows about HTTP.
 */
import { assertUnreachable, type DomainErrorCode, type RejectReason } from '@sealwatch/core';

/** Codes that only the HTTP edge produces. */
export type HttpProblemCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'not_found'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'overloaded'
  | 'store_unavailable'
  | 'log_unavailable'
  | 'starting'
  | 'internal_error'
  | 'bad_request'
  | 'forbidden'
  | 'csrf_failed'
  | 'session_required'
  // Sign-in and re-authentication (a second factor changed): the code is missing; failures delayed.
  | 'totp_required'
  | 'too_many_attempts'
  | 'rate_limited'
  | 'training_space_unavailable';

export interface Problem {
  type: string;
  title: string;
  status: number;
  /** Refusals of signed inputs (federation inbox) carry their quarantine reason. */
  code: DomainErrorCode | HttpProblemCode | RejectReason;
  detail: string;
  instance?: string;
  requestId?: string;
  [extra: string]: unknown;
}

export function problem(status: number, code: Problem['code'], detail: string, extra: Record<string, unknown> = {}): Problem {
  return { type: `urn:sealwatch:problem:${code}`, title: code.replace(/_/g, ' '), status, code, detail, ...extra };
}

/**
 * HTTP status of a domain error. An unknown resource named in the path is 404; one named in a
 * request body (e.g. a movement's device) is 422, marked by `details.field`.
 */
export function domainStatus(code: DomainErrorCode, details?: Record<string, unknown>): number {
  switch (code) {
    case 'unknown_device':
    case 'unknown_device_key':
    case 'unknown_office':
    case 'unknown_movement':
    case 'unknown_alert':
    case 'unknown_incident':
    case 'unknown_webhook':
    case 'unknown_quarantine_entry':
    case 'unknown_integration':
    case 'unknown_pending_device':
    case 'unknown_organisation':
    case 'unknown_user':
    case 'unknown_token':
      return details?.field ? 422 : 404;
    case 'organisation_exists':
    case 'user_exists':
    case 'device_exists':
    case 'device_identifier_taken':
    case 'device_key_limit':
    case 'office_exists':
    case 'office_in_use':
    case 'movement_exists':
    case 'device_in_use':
    case 'invalid_transition':
    case 'alert_changed':
    case 'incident_changed':
    case 'integration_exists':
      return 409;
    case 'invalid_container_number':
    case 'invalid_geometry':
    case 'invalid_device_key':
    case 'invalid_time':
    case 'invalid_role':
    case 'field_not_allowed':
      return 422;
    case 'invalid_cursor':
      return 400;
    case 'invalid_credentials':
      return 401;
    case 'audit_unavailable':
      return 503;
    case 'unknown_risk_profile':
      return details?.field ? 422 : 404;
    case 'invalid_risk_profile':
      return 400;
    case 'risk_profile_exists':
    case 'risk_not_assessed':
      return 409;
    case 'override_reason_required':
    case 'insufficient_outcomes':
    case 'not_a_user':
    case 'assignee_cannot_act':
      return 422;
    case 'unknown_command':
      return 404;
    case 'unknown_exercise':
    case 'unknown_training_run':
      return 404;
    case 'training_run_finished':
    case 'exercise_exists':
      return 409;
    case 'movement_not_recordable':
      return 422;
    // Commands: the device cannot do it, or the movement's state refuses it now.
    case 'command_not_supported':
    case 'device_not_on_movement':
      return 422;
    case 'movement_not_arrived':
    case 'outside_destination_office':
      return 409;
    // Custody (who may put a device on a movement) and the unlock's place and party.
    case 'device_not_in_custody':
    case 'backdated_start':
    case 'office_area_too_large':
    case 'office_outside_country':
    case 'key_change_reason_required':
      return 422;
    case 'device_on_movement':
    case 'position_unknown':
    case 'position_stale':
    case 'office_area_unsound':
      return 409;
    case 'unknown_custody_grant':
    case 'unknown_lending_consent':
      return 404;
    case 'lending_not_confirmed':
    case 'lending_refused':
      return 409;
    case 'not_lending_trader':
      return 403;
    case 'outside_jurisdiction':
    case 'not_destination_administration':
    case 'not_departure_administration':
    case 'not_command_requester':
      return 403;
    case 'unmappable_document':
    case 'not_exportable':
      return 422;
    case 'invalid_document':
    case 'invalid_subscription':
    case 'invalid_query':
      return 400;
    case 'query_exists':
    case 'predefined_query':
      return 409;
    case 'federation_not_configured':
    case 'no_pending_keys':
    case 'partner_exists':
    case 'federated_movement_read_only':
      return 409;
    case 'insecure_partner_url':
    case 'invalid_partner_document':
    case 'receiver_address_not_allowed':
    case 'invalid_retention':
      return 422;
    case 'partner_unreachable':
      return 502;
    case 'unknown_partner':
    case 'unknown_capture_job':
    case 'unknown_query':
    case 'unknown_subscription':
      return 404;
    default:
      return assertUnreachable(code);
  }
}
