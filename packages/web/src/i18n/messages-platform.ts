/**
 * The console's words for the platform's own health (issue 21): the monitor's panel of open
 * `platform_degraded` alerts, in English, French and Arabic; merged into messages.ts.
 */
export const platformEn = {
  'platform.heading': 'Platform degraded',
  'platform.check': 'Check',
  'platform.since': 'since {time}',
  'platform.instance': 'process {instance}',
  'platform.acknowledgeLabel': 'Acknowledge the platform alert {check}',
  'platform.status.degraded': 'degraded',
  'platform.status.failing': 'failing',
  'platform.check.store': 'Store',
  'platform.check.nats': 'NATS message log',
  'platform.check.mqtt': 'MQTT broker',
  'platform.check.disk': 'Free disk',
  'platform.check.lag': 'Processing lag',
  'platform.check.leases': 'Partition leases',
};

type PlatformDictionary = Record<keyof typeof platformEn, string>;

export const platformFr: PlatformDictionary = {
  'platform.heading': 'Plateforme dégradée',
  'platform.check': 'Contrôle',
  'platform.since': 'depuis {time}',
  'platform.instance': 'processus {instance}',
  'platform.acknowledgeLabel': 'Prendre en compte l’alerte de plateforme {check}',
  'platform.status.degraded': 'dégradé',
  'platform.status.failing': 'en échec',
  'platform.check.store': 'Base de données',
  'platform.check.nats': 'Journal de messages NATS',
  'platform.check.mqtt': 'Courtier MQTT',
  'platform.check.disk': 'Espace disque libre',
  'platform.check.lag': 'Retard de traitement',
  'platform.check.leases': 'Baux des partitions',
};

export const platformAr: PlatformDictionary = {
  'platform.heading': 'تدهور المنصة',
  'platform.check': 'الفحص',
  'platform.since': 'منذ {time}',
  'platform.instance': 'العملية {instance}',
  'platform.acknowledgeLabel': 'الاطلاع على تنبيه المنصة {check}',
  'platform.status.degraded': 'متدهور',
  'platform.status.failing': 'معطل',
  'platform.check.store': 'قاعدة البيانات',
  'platform.check.nats': 'سجل رسائل NATS',
  'platform.check.mqtt': 'وسيط MQTT',
  'platform.check.disk': 'المساحة الحرة على القرص',
  'platform.check.lag': 'تأخر المعالجة',
  'platform.check.leases': 'عقود الأقسام',
};
