/**
 * The offline gazetteer: towns, border posts and ports along the demo corridors (Northern Corridor
 * Mombasa – Nairobi – Malaba – Kampala, Central Corridor Dar es Salaam – Dodoma – Rusumo – Kigali and
 * its branches, Rhine–Alpine Rotterdam – Basel – Gotthard – Milan) and the region's main cities.
 *
 * Written by hand from public facts (the towns' published coordinates, WGS84, rounded to about a
 * kilometre); nothing is downloaded at run time. A place is where people would say a truck is
 * ("12 km NW of Malaba"), so a border post or a port is listed under the town's name with its kind.
 * To extend it: one line per place, [name, country (ISO 3166-1 alpha-2), kind, lat, lon, Arabic name?].
 *
 * Names are as the place's own people write them in Latin script (road signs, customs documents).
 * The cities, ports and border posts also carry the name Arabic writers use (the Arabic press and
 * Arabic Wikipedia: نيروبي, مالابا, دار السلام), so an officer reading Arabic reads them in Arabic;
 * a small town has no settled Arabic spelling and keeps its Latin name rather than a guessed one.
 */
import type { LatLon } from '../model';

export type PlaceKind = 'city' | 'town' | 'border' | 'port';

export interface Place extends LatLon {
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  kind: PlaceKind;
  /** The place's name in Arabic script where Arabic writers have a settled one. */
  nameAr?: string;
}

type Row = [name: string, country: string, kind: PlaceKind, lat: number, lon: number, nameAr?: string];

const rows: Row[] = [
  // Kenya: Northern Corridor (A109 Mombasa – Nairobi, A104 Nairobi – Malaba) and branches
  ['Mombasa', 'KE', 'port', -4.0435, 39.6682, 'مومباسا'],
  ['Changamwe', 'KE', 'town', -4.022, 39.631],
  ['Miritini', 'KE', 'town', -3.99, 39.592],
  ['Mazeras', 'KE', 'town', -3.968, 39.548],
  ['Mariakani', 'KE', 'town', -3.863, 39.473],
  ['Samburu', 'KE', 'town', -3.775, 39.277],
  ['Taru', 'KE', 'town', -3.748, 39.155],
  ['Mackinnon Road', 'KE', 'town', -3.73, 39.04],
  ['Maungu', 'KE', 'town', -3.558, 38.747],
  ['Voi', 'KE', 'town', -3.396, 38.556],
  ['Manyani', 'KE', 'town', -3.09, 38.495],
  ['Tsavo', 'KE', 'town', -2.993, 38.466],
  ['Mtito Andei', 'KE', 'town', -2.689, 38.167],
  ['Kibwezi', 'KE', 'town', -2.414, 37.966],
  ['Makindu', 'KE', 'town', -2.278, 37.825],
  ['Emali', 'KE', 'town', -2.081, 37.473],
  ['Sultan Hamud', 'KE', 'town', -2.02, 37.376],
  ['Machakos', 'KE', 'town', -1.5177, 37.2634],
  ['Konza', 'KE', 'town', -1.735, 37.127],
  ['Athi River', 'KE', 'town', -1.456, 36.978],
  ['Mlolongo', 'KE', 'town', -1.392, 36.942],
  ['Nairobi', 'KE', 'city', -1.2864, 36.8172, 'نيروبي'],
  ['Thika', 'KE', 'town', -1.0333, 37.0693],
  ['Kikuyu', 'KE', 'town', -1.246, 36.663],
  ['Limuru', 'KE', 'town', -1.107, 36.642],
  ['Naivasha', 'KE', 'town', -0.717, 36.433],
  ['Gilgil', 'KE', 'town', -0.499, 36.323],
  ['Nakuru', 'KE', 'city', -0.3031, 36.08, 'ناكورو'],
  ['Salgaa', 'KE', 'town', -0.21, 35.86],
  ['Molo', 'KE', 'town', -0.249, 35.732],
  ['Timboroa', 'KE', 'town', 0.075, 35.537],
  ['Burnt Forest', 'KE', 'town', 0.226, 35.428],
  ['Eldoret', 'KE', 'city', 0.5143, 35.2698, 'إلدوريت'],
  ['Turbo', 'KE', 'town', 0.635, 35.05],
  ['Webuye', 'KE', 'town', 0.607, 34.77],
  ['Bungoma', 'KE', 'town', 0.5635, 34.5606],
  ['Malaba', 'KE', 'border', 0.6345, 34.2795, 'مالابا'],
  ['Busia', 'KE', 'border', 0.4608, 34.1115, 'بوسيا'],
  ['Kisumu', 'KE', 'city', -0.0917, 34.768, 'كيسومو'],
  ['Kitale', 'KE', 'town', 1.0157, 35.006],
  ['Namanga', 'KE', 'border', -2.545, 36.788, 'نامانغا'],
  ['Taveta', 'KE', 'border', -3.398, 37.676, 'تافيتا'],
  ['Lunga Lunga', 'KE', 'border', -4.555, 39.123, 'لونغا لونغا'],
  // Uganda
  ['Malaba', 'UG', 'border', 0.6375, 34.2715, 'مالابا'],
  ['Tororo', 'UG', 'town', 0.6928, 34.1809],
  ['Busia', 'UG', 'border', 0.466, 34.092, 'بوسيا'],
  ['Busitema', 'UG', 'town', 0.54, 34.03],
  ['Bugiri', 'UG', 'town', 0.5714, 33.7417],
  ['Iganga', 'UG', 'town', 0.6093, 33.4686],
  ['Magamaga', 'UG', 'town', 0.5, 33.3],
  ['Jinja', 'UG', 'city', 0.4244, 33.2042, 'جينجا'],
  ['Njeru', 'UG', 'town', 0.43, 33.15],
  ['Lugazi', 'UG', 'town', 0.369, 32.94],
  ['Mukono', 'UG', 'town', 0.3533, 32.7553],
  ['Kampala', 'UG', 'city', 0.3476, 32.5825, 'كمبالا'],
  ['Entebbe', 'UG', 'town', 0.0512, 32.4637],
  ['Mbale', 'UG', 'town', 1.0821, 34.1753],
  ['Masaka', 'UG', 'town', -0.3338, 31.7341],
  ['Mbarara', 'UG', 'city', -0.6072, 30.6545, 'مبارارا'],
  ['Kabale', 'UG', 'town', -1.2486, 29.9899],
  ['Katuna', 'UG', 'border', -1.42, 30.009, 'كاتونا'],
  ['Mutukula', 'UG', 'border', -0.999, 31.416, 'موتوكولا'],
  // Rwanda
  ['Rusumo', 'RW', 'border', -2.3806, 30.7772, 'روسومو'],
  ['Nyakarambi', 'RW', 'town', -2.276, 30.693],
  ['Kibungo', 'RW', 'town', -2.158, 30.543],
  ['Kayonza', 'RW', 'town', -1.9, 30.505],
  ['Rwamagana', 'RW', 'town', -1.949, 30.435],
  ['Kabuga', 'RW', 'town', -1.978, 30.226],
  ['Kigali', 'RW', 'city', -1.9441, 30.0619, 'كيغالي'],
  ['Gatuna', 'RW', 'border', -1.428, 30.013, 'غاتونا'],
  ['Musanze', 'RW', 'town', -1.4998, 29.6349],
  ['Muhanga', 'RW', 'town', -2.085, 29.756],
  ['Huye', 'RW', 'town', -2.596, 29.739],
  ['Rubavu', 'RW', 'border', -1.6995, 29.2564, 'روبافو'],
  ['Rusizi', 'RW', 'border', -2.484, 28.907, 'روسيزي'],
  // Tanzania: Central Corridor (T1 Dar es Salaam – Morogoro, T3 to Rusumo) and the north
  ['Dar es Salaam', 'TZ', 'port', -6.8161, 39.2803, 'دار السلام'],
  ['Ubungo', 'TZ', 'town', -6.787, 39.204],
  ['Kimara', 'TZ', 'town', -6.76, 39.16],
  ['Kibaha', 'TZ', 'town', -6.767, 38.92],
  ['Mlandizi', 'TZ', 'town', -6.7, 38.733],
  ['Chalinze', 'TZ', 'town', -6.638, 38.353],
  ['Morogoro', 'TZ', 'city', -6.8278, 37.6591, 'موروغورو'],
  ['Dumila', 'TZ', 'town', -6.37, 37.63],
  ['Gairo', 'TZ', 'town', -6.138, 36.875],
  ['Kibaigwa', 'TZ', 'town', -6.075, 36.64],
  ['Dodoma', 'TZ', 'city', -6.163, 35.7516, 'دودوما'],
  ['Bahi', 'TZ', 'town', -5.96, 35.31],
  ['Manyoni', 'TZ', 'town', -5.746, 34.833],
  ['Singida', 'TZ', 'town', -4.816, 34.744],
  ['Shelui', 'TZ', 'town', -4.365, 34.19],
  ['Igunga', 'TZ', 'town', -4.28, 33.88],
  ['Nzega', 'TZ', 'town', -4.213, 33.183],
  ['Tinde', 'TZ', 'town', -3.88, 33.2],
  ['Isaka', 'TZ', 'town', -3.888, 32.93],
  ['Kahama', 'TZ', 'town', -3.838, 32.6],
  ['Ushirombo', 'TZ', 'town', -3.49, 31.96],
  ['Runzewe', 'TZ', 'town', -3.3, 31.62],
  ['Nyakanazi', 'TZ', 'town', -3.07, 31.32],
  ['Lusahunga', 'TZ', 'town', -2.93, 31.23],
  ['Nyakahura', 'TZ', 'town', -2.75, 31.05],
  ['Kasulo', 'TZ', 'town', -2.53, 30.87],
  ['Rusumo', 'TZ', 'border', -2.3845, 30.7865, 'روسومو'],
  ['Mwanza', 'TZ', 'city', -2.5164, 32.9175, 'موانزا'],
  ['Arusha', 'TZ', 'city', -3.3869, 36.683, 'أروشا'],
  ['Moshi', 'TZ', 'town', -3.3349, 37.3404],
  ['Holili', 'TZ', 'border', -3.376, 37.655, 'هوليلي'],
  ['Namanga', 'TZ', 'border', -2.55, 36.79, 'نامانغا'],
  ['Tanga', 'TZ', 'port', -5.0689, 39.0988, 'تانغا'],
  ['Horohoro', 'TZ', 'border', -4.583, 39.117, 'هوروهورو'],
  ['Iringa', 'TZ', 'town', -7.7696, 35.6933],
  ['Mbeya', 'TZ', 'city', -8.9094, 33.4608, 'مبيا'],
  ['Tunduma', 'TZ', 'border', -9.3, 32.77, 'توندوما'],
  ['Mutukula', 'TZ', 'border', -1.004, 31.418, 'موتوكولا'],
  // Burundi and the eastern DR Congo (the corridors' other ends)
  ['Bujumbura', 'BI', 'city', -3.3614, 29.3599, 'بوجمبورا'],
  ['Kobero', 'BI', 'border', -2.53, 30.5, 'كوبيرو'],
  ['Goma', 'CD', 'border', -1.6792, 29.2228, 'غوما'],
  ['Bukavu', 'CD', 'border', -2.508, 28.861, 'بوكافو'],
  // Netherlands: A15 from the Maasvlakte, A73 to Venlo
  ['Maasvlakte', 'NL', 'port', 51.955, 4.045, 'ماسفلاكته'],
  ['Europoort', 'NL', 'port', 51.928, 4.15, 'يوروبورت'],
  ['Rozenburg', 'NL', 'town', 51.905, 4.25],
  ['Rotterdam', 'NL', 'port', 51.9244, 4.4777, 'روتردام'],
  ['Ridderkerk', 'NL', 'town', 51.872, 4.602],
  ['Sliedrecht', 'NL', 'town', 51.821, 4.776],
  ['Gorinchem', 'NL', 'town', 51.834, 4.975],
  ['Geldermalsen', 'NL', 'town', 51.881, 5.289],
  ['Tiel', 'NL', 'town', 51.8866, 5.429],
  ['Nijmegen', 'NL', 'city', 51.8126, 5.8372, 'نايميخن'],
  ['Boxmeer', 'NL', 'town', 51.6466, 5.9456],
  ['Venray', 'NL', 'town', 51.525, 5.975],
  ['Venlo', 'NL', 'border', 51.3704, 6.1724, 'فينلو'],
  ['Amsterdam', 'NL', 'city', 52.3676, 4.9041, 'أمستردام'],
  ['Antwerp', 'BE', 'port', 51.2194, 4.4025, 'أنتويرب'],
  // Germany: A61, A4, A3, A5
  ['Kaldenkirchen', 'DE', 'border', 51.318, 6.198, 'كالدنكيرشن'],
  ['Viersen', 'DE', 'town', 51.2556, 6.3917],
  ['Mönchengladbach', 'DE', 'city', 51.1805, 6.4428, 'مونشنغلادباخ'],
  ['Bergheim', 'DE', 'town', 50.955, 6.64],
  ['Kerpen', 'DE', 'town', 50.87, 6.69],
  ['Cologne', 'DE', 'city', 50.9375, 6.9603, 'كولونيا'],
  ['Siegburg', 'DE', 'town', 50.801, 7.204],
  ['Dierdorf', 'DE', 'town', 50.55, 7.66],
  ['Montabaur', 'DE', 'town', 50.435, 7.826],
  ['Limburg an der Lahn', 'DE', 'town', 50.3836, 8.0503],
  ['Bad Camberg', 'DE', 'town', 50.3, 8.27],
  ['Wiesbaden', 'DE', 'city', 50.0782, 8.2398, 'فيسبادن'],
  ['Frankfurt am Main', 'DE', 'city', 50.1109, 8.6821, 'فرانكفورت'],
  ['Darmstadt', 'DE', 'city', 49.8728, 8.6512, 'دارمشتات'],
  ['Weinheim', 'DE', 'town', 49.549, 8.669],
  ['Mannheim', 'DE', 'city', 49.4875, 8.466, 'مانهايم'],
  ['Heidelberg', 'DE', 'city', 49.3988, 8.6724, 'هايدلبرغ'],
  ['Walldorf', 'DE', 'town', 49.306, 8.642],
  ['Bruchsal', 'DE', 'town', 49.124, 8.598],
  ['Karlsruhe', 'DE', 'city', 49.0069, 8.4037, 'كارلسروه'],
  ['Rastatt', 'DE', 'town', 48.8585, 8.2035],
  ['Baden-Baden', 'DE', 'town', 48.7606, 8.2398],
  ['Achern', 'DE', 'town', 48.631, 8.076],
  ['Offenburg', 'DE', 'town', 48.4708, 7.941],
  ['Lahr', 'DE', 'town', 48.34, 7.872],
  ['Freiburg im Breisgau', 'DE', 'city', 47.999, 7.8421, 'فرايبورغ'],
  ['Bad Krozingen', 'DE', 'town', 47.917, 7.702],
  ['Neuenburg am Rhein', 'DE', 'town', 47.814, 7.561],
  ['Weil am Rhein', 'DE', 'border', 47.594, 7.621, 'فايل آم راين'],
  // Switzerland: A2 over the Gotthard
  ['Basel', 'CH', 'border', 47.5596, 7.5886, 'بازل'],
  ['Pratteln', 'CH', 'town', 47.521, 7.693],
  ['Sissach', 'CH', 'town', 47.464, 7.812],
  ['Egerkingen', 'CH', 'town', 47.32, 7.797],
  ['Rothrist', 'CH', 'town', 47.305, 7.884],
  ['Sursee', 'CH', 'town', 47.171, 8.111],
  ['Lucerne', 'CH', 'city', 47.0502, 8.3093, 'لوتسيرن'],
  ['Stans', 'CH', 'town', 46.958, 8.366],
  ['Flüelen', 'CH', 'town', 46.904, 8.624],
  ['Altdorf', 'CH', 'town', 46.881, 8.644],
  ['Erstfeld', 'CH', 'town', 46.819, 8.651],
  ['Göschenen', 'CH', 'town', 46.667, 8.587],
  ['Airolo', 'CH', 'town', 46.528, 8.61],
  ['Faido', 'CH', 'town', 46.477, 8.8],
  ['Biasca', 'CH', 'town', 46.36, 8.97],
  ['Bellinzona', 'CH', 'town', 46.1955, 9.0238],
  ['Lugano', 'CH', 'city', 46.0037, 8.9511, 'لوغانو'],
  ['Mendrisio', 'CH', 'town', 45.87, 8.982],
  ['Chiasso', 'CH', 'border', 45.8325, 9.0317, 'كياسو'],
  // Italy: A9 and A8 to Milan
  ['Como', 'IT', 'town', 45.8081, 9.0852],
  ['Lomazzo', 'IT', 'town', 45.698, 9.037],
  ['Lainate', 'IT', 'town', 45.572, 9.027],
  ['Milan', 'IT', 'city', 45.4642, 9.19, 'ميلانو'],
];

/** Every place of the gazetteer. */
export const gazetteer: readonly Place[] = rows.map(([name, country, kind, lat, lon, nameAr]) => ({
  name,
  country,
  kind,
  lat,
  lon,
  ...(nameAr ? { nameAr } : {}),
}));

/** A place's name for readers of a language: its Arabic name in Arabic where it has one, else its own. */
export function placeName(place: Place, lang: string): string {
  return lang === 'ar' && place.nameAr ? place.nameAr : place.name;
}
