/** The console's words for a device's custody (who holds it, from and until when, its movement), in English, French and Arabic. */
export const custodyEn = {
  'custody.heading': 'Custody',
  'custody.holder': 'Held by',
  'custody.from': 'From',
  'custody.to': 'Until',
  'custody.open': 'until ended',
  'custody.none': 'Not handed over: the device stays with its owner.',
  'custody.armed': 'Armed on movement {movement}',
  'custody.armedHidden': 'Armed on a movement of another party',
  'custody.notArmed': 'Not on a movement',
  'custody.grant': 'Hand over',
  'custody.holderId': 'Organisation id of the holder',
  'custody.end': 'End',
  'custody.ended': 'Custody by {holder} ended',
  'custody.granted': 'Handed over to {holder}',
  'custody.actions': 'Actions',
};

type CustodyDictionary = Record<keyof typeof custodyEn, string>;

export const custodyFr: CustodyDictionary = {
  'custody.heading': 'Garde',
  'custody.holder': 'Détenu par',
  'custody.from': 'Du',
  'custody.to': "Jusqu'au",
  'custody.open': "jusqu'à la fin",
  'custody.none': 'Non remis : le dispositif reste chez son propriétaire.',
  'custody.armed': 'Armé sur le mouvement {movement}',
  'custody.armedHidden': "Armé sur un mouvement d'une autre partie",
  'custody.notArmed': 'Sur aucun mouvement',
  'custody.grant': 'Remettre',
  'custody.holderId': "Identifiant de l'organisation détentrice",
  'custody.end': 'Terminer',
  'custody.ended': 'Garde par {holder} terminée',
  'custody.granted': 'Remis à {holder}',
  'custody.actions': 'Opérations',
};

export const custodyAr: CustodyDictionary = {
  'custody.heading': 'الحيازة',
  'custody.holder': 'بحوزة',
  'custody.from': 'من',
  'custody.to': 'حتى',
  'custody.open': 'حتى الإنهاء',
  'custody.none': 'لم يُسلَّم: الجهاز لدى مالكه.',
  'custody.armed': 'مفعّل على الحركة {movement}',
  'custody.armedHidden': 'مفعّل على حركة لطرف آخر',
  'custody.notArmed': 'ليس على أي حركة',
  'custody.grant': 'تسليم',
  'custody.holderId': 'معرّف المنظمة الحائزة',
  'custody.end': 'إنهاء',
  'custody.ended': 'انتهت حيازة {holder}',
  'custody.granted': 'سُلّم إلى {holder}',
  'custody.actions': 'الإجراءات',
};
