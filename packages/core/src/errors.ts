/**
 * Domain errors: a closed set of codes. The core never speaks HTTP; each transport maps
 * these codes to its own answer in one exhaustive switch.
 */
export const domainErrorCodes = [
  'invalid_container_number',
  'invalid_geometry',
  'invalid_device_key',
  'unknown_device_key',
  'device_key_limit',
  'unknown_device',
  'unknown_office',
  'unknown_movement',
  'unknown_alert',
  'unknown_incident',
  'unknown_webhook',
  'unknown_quarantine_entry',
  'device_exists',
  'office_exists',
  // An office that movements not yet ended rely on: its area or country may not change, nor may it be deleted.
  'office_in_use',
  'movement_exists',
  'device_in_use',
  'invalid_transition',
  'invalid_time',
  'invalid_cursor',
  'alert_changed',
  'incident_changed',
  'audit_unavailable',
  'unknown_integration',
  'integration_exists',
  'unknown_pending_device',
  'organisation_exists',
  'user_exists',
  'unknown_organisation',
  'unknown_user',
  'invalid_role',
  'unknown_token',
  'invalid_credentials',
  'unknown_risk_profile',
  'invalid_risk_profile',
  'risk_profile_exists',
  'risk_not_assessed',
  'override_reason_required',
  'insufficient_outcomes',
  'unknown_command',
  'command_not_supported',
  'not_a_user',
  'device_identifier_taken',
  'assignee_cannot_act',
  'device_not_on_movement',
  'movement_not_arrived',
  'outside_destination_office',
  // Device custody and remote commands across parties (core/custody, core/commands).
  'device_not_in_custody',
  'device_on_movement',
  'backdated_start',
  'unknown_custody_grant',
  'outside_jurisdiction',
  'not_destination_administration',
  'not_departure_administration',
  'not_command_requester',
  'position_unknown',
  'position_stale',
  'office_area_unsound',
  'office_area_too_large',
  'office_outside_country',
  'key_change_reason_required',
  // Lending consent (core/custody/lending-consent.ts): a trader's devices used by an administration.
  'lending_not_confirmed',
  'lending_refused',
  'unknown_lending_consent',
  'not_lending_trader',
  // Exchange documents (core/exchange): a field that cannot be mapped in or written out, a document refused whole.
  'unmappable_document',
  'not_exportable',
  'invalid_document',
  // Training (DESIGN §8): exercises and runs.
  'unknown_exercise',
  'unknown_training_run',
  'training_run_finished',
  'exercise_exists',
  'movement_not_recordable',
  // Federation between administrations (docs/federation.md).
  'federation_not_configured',
  'insecure_partner_url',
  // A receiver a user registered (webhook) on a loopback, private or link-local address.
  'receiver_address_not_allowed',
  'partner_unreachable',
  'invalid_partner_document',
  'unknown_partner',
  'partner_exists',
  'no_pending_keys',
  'invalid_retention',
  'federated_movement_read_only',
  'unknown_capture_job',
  // A request member the caller may not set (or that the endpoint does not know): refused, never silently dropped.
  'field_not_allowed',
  'unknown_query',
  'unknown_subscription',
  'invalid_subscription',
  // EPCIS named queries: a name taken (ResourceAlreadyExistsException), a query off GS1's schema or with a
  // parameter not answered here (QueryParameterException), the predefined SimpleEventQuery changed.
  'query_exists',
  'invalid_query',
  'predefined_query',
] as const;
export type DomainErrorCode = (typeof domainErrorCodes)[number];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** For the default branch of an exhaustive switch: a compile error if a case is missing. */
export function assertUnreachable(x: never): never {
  throw new Error(`unreachable: ${String(x)}`);
}
