/** The declaration form's pickers (trader, devices in custody, seals, vehicle, goods, UTC time limit), EN/FR/AR. */
export const declareEn = {
  'declare.trader': 'Trader',
  'declare.noTrader': 'No trader named',
  'declare.devices': 'Devices (those in your custody or the trader’s, on no other movement)',
  'declare.loadingDevices': 'Loading the devices you may use…',
  'declare.noDevices': 'No device is in your custody or the trader’s, free of another movement.',
  'declare.sealNo': 'seal {seal}',
  'declare.heldByTrader': 'the trader’s',
  'declare.needsTraderConsent': 'starts once the trader confirms',
  'declare.otherSeals': 'Other seal numbers (bolt seals, comma-separated)',
  'declare.ownSeals': 'The chosen devices’ seals are added: {seals}',
  'declare.vehicle': 'Vehicle registration',
  'declare.hsChapter': 'Goods: HS chapter or code',
  'declare.origin': 'Goods: country of origin (2 letters)',
  'declare.timeLimitUtc': 'Time limit (UTC)',
  'declare.timeLimitHint': 'Year-month-day hours:minutes, 24-hour, in UTC (not local time): 2026-12-09 14:00',
  'declare.timeLimitIs': 'Time limit: {time}',
} as const;

type DeclareKey = keyof typeof declareEn;

export const declareFr: Record<DeclareKey, string> = {
  'declare.trader': 'Opérateur',
  'declare.noTrader': 'Aucun opérateur désigné',
  'declare.devices': 'Dispositifs (sous votre garde ou celle de l’opérateur, sur aucun autre mouvement)',
  'declare.loadingDevices': 'Chargement des dispositifs utilisables…',
  'declare.noDevices': 'Aucun dispositif libre n’est sous votre garde ni sous celle de l’opérateur.',
  'declare.sealNo': 'scellé {seal}',
  'declare.heldByTrader': 'de l’opérateur',
  'declare.needsTraderConsent': 'démarre une fois confirmé par l’opérateur',
  'declare.otherSeals': 'Autres numéros de scellés (scellés à boulon, séparés par des virgules)',
  'declare.ownSeals': 'Les scellés des dispositifs choisis sont ajoutés : {seals}',
  'declare.vehicle': 'Immatriculation du véhicule',
  'declare.hsChapter': 'Marchandises : chapitre ou code SH',
  'declare.origin': 'Marchandises : pays d’origine (2 lettres)',
  'declare.timeLimitUtc': 'Délai (UTC)',
  'declare.timeLimitHint': 'Année-mois-jour heures:minutes, sur 24 h, en UTC (pas en heure locale) : 2026-12-09 14:00',
  'declare.timeLimitIs': 'Délai : {time}',
};

export const declareAr: Record<DeclareKey, string> = {
  'declare.trader': 'التاجر',
  'declare.noTrader': 'بدون تاجر محدد',
  'declare.devices': 'الأجهزة (التي في عهدتكم أو عهدة التاجر، وليست على شحنة أخرى)',
  'declare.loadingDevices': 'جارٍ تحميل الأجهزة المتاحة لكم…',
  'declare.noDevices': 'لا يوجد جهاز متاح في عهدتكم أو عهدة التاجر.',
  'declare.sealNo': 'الختم {seal}',
  'declare.heldByTrader': 'في عهدة التاجر',
  'declare.needsTraderConsent': 'تبدأ بعد تأكيد التاجر',
  'declare.otherSeals': 'أرقام أختام أخرى (أختام مسمارية، مفصولة بفواصل)',
  'declare.ownSeals': 'تُضاف أختام الأجهزة المختارة: {seals}',
  'declare.vehicle': 'رقم تسجيل المركبة',
  'declare.hsChapter': 'البضائع: فصل أو رمز النظام المنسق',
  'declare.origin': 'البضائع: بلد المنشأ (حرفان)',
  'declare.timeLimitUtc': 'المهلة (بالتوقيت العالمي UTC)',
  'declare.timeLimitHint': 'السنة-الشهر-اليوم الساعات:الدقائق، بنظام 24 ساعة، بالتوقيت العالمي UTC (لا المحلي): 2026-12-09 14:00',
  'declare.timeLimitIs': 'المهلة: {time}',
};
