/**
 * Domain values in the reader's language: codes the API sends (device class, kind, protocol,
 * quarantine reason, audit kind) and the texts of the shipped default risk profile. A text an
 * analyst wrote (an edited indicator description, a profile's own note) is shown as written.
 */
import { defaultRiskProfile } from '@sealwatch/core/risk/default-risk-profile';
import type { MessageKey, Translator } from './i18n';

type Group = 'deviceClass' | 'deviceKind' | 'protocol' | 'reject' | 'audit.kind' | 'audit.actor' | 'door';

/** The words for a code of one of the closed lists, else the code itself (a vendor protocol's name, say). */
export function codeWords(tr: Pick<Translator, 't'>, group: Group, code: string | null | undefined): string {
  if (!code) return '—';
  const key = `${group}.${code}` as MessageKey;
  const text = tr.t(key);
  return text === key ? code : text;
}

const shippedDescriptions = new Map(defaultRiskProfile.indicators.map((i) => [i.code, i.description]));

/** An indicator's description: the reader's words when it is the shipped default's, else the analyst's own. */
export function indicatorDescription(tr: Pick<Translator, 't'>, code: string, description: string | undefined): string {
  return shippedDescriptions.get(code) === description ? tr.t(`indicator.${code}` as MessageKey) : (description ?? '');
}

/** A profile's name and note: translated when they are the shipped default's. */
export function profileName(tr: Pick<Translator, 't'>, name: string): string {
  return name === defaultRiskProfile.name ? tr.t('riskDefault.name') : name;
}

export function profileNote(tr: Pick<Translator, 't'>, note: string): string {
  return note === defaultRiskProfile.note ? tr.t('riskDefault.note') : note;
}
