/**
 * Names of the alert and event types (DESIGN §6 codes) in French and Arabic, and the few English
 * ones that are not the code humanised ("GNSS anomaly"): one list for the console and the server's
 * printable trip report. The console's i18n test checks every type of core's closed lists has one.
 */
export const typeNames: Record<'fr' | 'ar', Record<string, string>> = {
  fr: {
    seal_opened: 'Scellé ouvert',
    seal_tampered: 'Scellé altéré',
    rope_cut: 'Câble coupé',
    unlock_unauthorized: 'Déverrouillage non autorisé',
    route_deviation: "Déviation d'itinéraire",
    unauthorized_stop: 'Arrêt non autorisé',
    transit_overdue: 'Délai de transit dépassé',
    signal_lost: 'Perte de signal',
    battery_low: 'Batterie faible',
    battery_insufficient: 'Batterie insuffisante',
    sensor_out_of_range: 'Capteur hors plage',
    gnss_anomaly: 'Anomalie GNSS',
    device_cloned: 'Dispositif cloné',
    checkpoint_missed: 'Point de contrôle manqué',
    checkpoint_unexpected: 'Point de contrôle inattendu',
    seq_conflict: 'Conflit de numéro de séquence',
    movement_arrived_detected: 'Arrivée détectée',
    seal_mismatch: 'Scellé non concordant',
    message_forged: 'Message falsifié',
    device_key_changed: 'Clé du dispositif changée en transit',
    platform_degraded: 'Plateforme dégradée',
    movement_declared: 'Mouvement déclaré',
    movement_started: 'Départ',
    movement_arrived: 'Arrivée',
    movement_ended: 'Apurement',
    seal_closed: 'Scellé fermé',
    rope_inserted: 'Câble inséré',
    seal_locked: 'Scellé verrouillé',
    seal_unlocked: 'Scellé déverrouillé',
    office_entered: 'Entrée au bureau',
    office_left: 'Sortie du bureau',
    border_crossed: 'Frontière franchie',
  },
  ar: {
    seal_opened: 'فتح الختم',
    seal_tampered: 'العبث بالختم',
    rope_cut: 'قطع الحبل',
    unlock_unauthorized: 'فتح قفل غير مصرح',
    route_deviation: 'انحراف عن المسار',
    unauthorized_stop: 'توقف غير مصرح',
    transit_overdue: 'تجاوز مهلة العبور',
    signal_lost: 'فقدان الإشارة',
    battery_low: 'بطارية منخفضة',
    battery_insufficient: 'بطارية غير كافية',
    sensor_out_of_range: 'مستشعر خارج النطاق',
    gnss_anomaly: 'خلل في تحديد الموقع',
    device_cloned: 'جهاز مستنسخ',
    checkpoint_missed: 'تفويت نقطة تفتيش',
    checkpoint_unexpected: 'نقطة تفتيش غير متوقعة',
    seq_conflict: 'تعارض في رقم التسلسل',
    movement_arrived_detected: 'اكتُشف الوصول',
    seal_mismatch: 'عدم تطابق الختم',
    message_forged: 'رسالة مزورة',
    device_key_changed: 'تغيير مفتاح الجهاز أثناء العبور',
    platform_degraded: 'تدهور المنصة',
    movement_declared: 'تم التصريح',
    movement_started: 'المغادرة',
    movement_arrived: 'الوصول',
    movement_ended: 'انتهاء الرقابة',
    seal_closed: 'إغلاق الختم',
    rope_inserted: 'إدخال الحبل',
    seal_locked: 'قفل الختم',
    seal_unlocked: 'فتح قفل الختم',
    office_entered: 'دخول المكتب',
    office_left: 'مغادرة المكتب',
    border_crossed: 'عبور الحدود',
  },
};

/** English names where the code's words are not the name (an acronym): the rest are the code humanised. */
export const typeNamesEn: Record<string, string> = { gnss_anomaly: 'GNSS anomaly', rfid_read: 'RFID read' };

/** "seal_opened" → "Seal opened" */
function humanise(code: string): string {
  const text = code.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A type's name for readers of `lang` ('en', 'fr', 'ar'); an unknown code humanised. */
export function typeName(code: string, lang: string): string {
  const names = lang === 'fr' || lang === 'ar' ? typeNames[lang] : typeNamesEn;
  return names[code] ?? humanise(code);
}
