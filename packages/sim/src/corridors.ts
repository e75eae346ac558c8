/**
 * Real transit corridors for the demo and the simulated fleet: customs offices at departure,
 * borders and destination, the trunk roads as GeoJSON LineStrings ([lon, lat], waypoints in the
 * towns the road passes, accurate to a few kilometres) and authorised stops on the way.
 *
 * Office codes are illustrative for the demo: the EU and Swiss ones follow the customs office
 * reference number form (country + 6 digits), the East African ones the short form used on
 * RECTS documents; none is claimed to be the office's official code.
 */
import { distanceM, type AuthorizedStop, type LatLon, type LineString } from '@sealwatch/core';

export interface CorridorOffice {
  code: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  area: { center: LatLon; radiusM: number };
}

export interface Corridor {
  /** Short route key used in demo references, e.g. DEMO-MSA-KLA-20261126032252. */
  id: string;
  name: string;
  departureOffice: string;
  destinationOffice: string;
  /** Offices passed on the way (border crossings), in order. */
  borderOffices: string[];
  /** Countries crossed, in order (ISO 3166-1 alpha-2). */
  countries: string[];
  route: LineString;
  authorizedStops: AuthorizedStop[];
  /** A realistic transit time for the time limit, hours. */
  transitHours: number;
  /** Typical day-time climate on the road: °C and %RH. */
  climate: { temperatureC: number; humidity: number };
}

const office = (code: string, name: string, country: string, lat: number, lon: number, radiusM: number): CorridorOffice => ({
  code,
  name,
  country,
  area: { center: { lat, lon }, radiusM },
});

export const offices: CorridorOffice[] = [
  office('KEMBA', 'Mombasa Port (Kilindini) Customs', 'KE', -4.046, 39.642, 3000),
  office('KEMAL', 'Malaba One Stop Border Post (Kenya)', 'KE', 0.6345, 34.2795, 1500),
  office('UGMAL', 'Malaba One Stop Border Post (Uganda)', 'UG', 0.6375, 34.2715, 1500),
  office('UGKLA', 'Kampala Nakawa Customs', 'UG', 0.331, 32.615, 2500),
  office('NL000396', 'Rotterdam Maasvlakte', 'NL', 51.955, 4.045, 4000),
  office('CH001171', 'Basel/Weil am Rhein-Autobahn', 'CH', 47.592, 7.608, 1500),
  office('CH004101', 'Chiasso-Brogeda Strada', 'CH', 45.839, 9.029, 1500),
  office('IT076100', 'Milano 1', 'IT', 45.505, 9.135, 3000),
  office('TZDAR', 'Dar es Salaam Port Customs', 'TZ', -6.842, 39.288, 2500),
  office('TZRUS', 'Rusumo One Stop Border Post (Tanzania)', 'TZ', -2.3845, 30.7865, 1200),
  office('RWRUS', 'Rusumo One Stop Border Post (Rwanda)', 'RW', -2.3806, 30.7772, 1200),
  office('RWKGL', 'Kigali Magerwa (Gikondo)', 'RW', -1.976, 30.079, 2000),
];

const line = (coordinates: number[][]): LineString => ({ type: 'LineString', coordinates });
const stop = (name: string, lon: number, lat: number, maxDwellMinutes: number, radiusM = 600): AuthorizedStop => ({
  name,
  area: { center: { lat, lon }, radiusM },
  maxDwellMinutes,
});

/** Northern Corridor: A109/A104 in Kenya, Tororo–Jinja–Kampala highway in Uganda. */
const mombasaKampala: Corridor = {
  id: 'MSA-KLA',
  name: 'Northern Corridor: Mombasa – Nairobi – Malaba – Kampala',
  departureOffice: 'KEMBA',
  destinationOffice: 'UGKLA',
  borderOffices: ['KEMAL', 'UGMAL'],
  countries: ['KE', 'UG'],
  transitHours: 96,
  climate: { temperatureC: 26, humidity: 65 },
  route: line([
    [39.642, -4.046],
    [39.63, -4.024],
    [39.592, -3.99],
    [39.548, -3.968], // port, Changamwe, Miritini, Mazeras
    [39.473, -3.863],
    [39.277, -3.775],
    [39.155, -3.748],
    [39.04, -3.73], // Mariakani, Samburu, Taru, Mackinnon Road
    [38.747, -3.558],
    [38.556, -3.396],
    [38.495, -3.09],
    [38.466, -2.993], // Maungu, Voi, Manyani, Tsavo River
    [38.33, -2.85],
    [38.167, -2.689],
    [37.966, -2.414],
    [37.825, -2.278], // Kanga, Mtito Andei, Kibwezi, Makindu
    [37.72, -2.205],
    [37.473, -2.081],
    [37.376, -2.02],
    [37.26, -1.9], // Kiboko, Emali, Sultan Hamud, Salama
    [37.127, -1.735],
    [36.978, -1.456],
    [36.942, -1.392],
    [36.896, -1.34], // Konza, Athi River, Mlolongo, JKIA junction
    [36.844, -1.323],
    [36.76, -1.315],
    [36.663, -1.246],
    [36.624, -1.15], // Mombasa Rd, Southern Bypass, Kikuyu, Rironi
    [36.62, -1.04],
    [36.598, -0.965],
    [36.56, -0.91],
    [36.433, -0.717], // Uplands, Kimende, Kinale, Naivasha
    [36.323, -0.499],
    [36.24, -0.42],
    [36.08, -0.303],
    [35.86, -0.21], // Gilgil, Elementaita, Nakuru, Salgaa
    [35.68, -0.14],
    [35.537, 0.075],
    [35.428, 0.226],
    [35.27, 0.514], // Mau Summit, Timboroa, Burnt Forest, Eldoret
    [35.05, 0.635],
    [34.77, 0.607],
    [34.561, 0.564],
    [34.45, 0.585], // Turbo, Webuye, Bungoma, Myanga
    [34.36, 0.612],
    [34.2795, 0.6345],
    [34.2715, 0.6375],
    [34.181, 0.693], // Malakisi turn, Malaba KE, Malaba UG, Tororo
    [34.03, 0.54],
    [33.742, 0.571],
    [33.469, 0.609],
    [33.3, 0.5], // Busitema, Bugiri, Iganga, Magamaga
    [33.204, 0.424],
    [33.15, 0.43],
    [33.02, 0.4],
    [32.94, 0.369], // Jinja, Njeru, Mabira, Lugazi
    [32.755, 0.353],
    [32.648, 0.346],
    [32.615, 0.331], // Mukono, Kireka, Nakawa
  ]),
  authorizedStops: [
    stop('Mariakani weighbridge', 39.473, -3.863, 60),
    stop('Mtito Andei truck stop', 38.167, -2.689, 120),
    stop('Athi River weighbridge', 36.978, -1.456, 60),
    stop('Gilgil weighbridge', 36.323, -0.499, 60),
    stop('Webuye weighbridge', 34.77, 0.607, 60),
  ],
};

/** Rhine–Alpine corridor: A15/A73 (NL), A61/A4/A3/A5 (DE), A2 over the Gotthard (CH), A9/A8 (IT). */
const rotterdamMilan: Corridor = {
  id: 'RTM-MIL',
  name: 'Rhine–Alpine: Rotterdam – Cologne – Frankfurt – Basel – Gotthard – Milan',
  departureOffice: 'NL000396',
  destinationOffice: 'IT076100',
  borderOffices: ['CH001171', 'CH004101'],
  countries: ['NL', 'DE', 'CH', 'IT'],
  transitHours: 48,
  climate: { temperatureC: 12, humidity: 75 },
  route: line([
    [4.045, 51.955],
    [4.15, 51.928],
    [4.24, 51.895],
    [4.31, 51.866], // Maasvlakte, Europoort, Rozenburg, Botlek
    [4.38, 51.868],
    [4.49, 51.862],
    [4.6, 51.865],
    [4.77, 51.83], // Beneluxplein, Vaanplein, Ridderkerk, Sliedrecht
    [4.975, 51.832],
    [5.29, 51.878],
    [5.43, 51.89],
    [5.745, 51.87], // Gorinchem, Geldermalsen, Tiel, Ewijk
    [5.77, 51.815],
    [5.845, 51.77],
    [5.94, 51.65],
    [5.975, 51.53], // Wijchen, Heumen, Boxmeer, Venray
    [6.11, 51.39],
    [6.17, 51.365],
    [6.21, 51.345],
    [6.33, 51.27], // Zaarderheiken, Venlo, Kaldenkirchen, Viersen
    [6.4, 51.18],
    [6.42, 51.115],
    [6.52, 51.03],
    [6.62, 50.95], // Mönchengladbach, Wanlo, Jackerath, Bergheim
    [6.69, 50.875],
    [6.83, 50.92],
    [6.95, 50.89],
    [7.02, 50.925], // Kerpen, Köln-West, Köln-Süd, Gremberg
    [7.08, 50.91],
    [7.22, 50.82],
    [7.4, 50.62],
    [7.65, 50.55], // Heumar, Siegburg, Neustadt (Wied), Dierdorf
    [7.83, 50.44],
    [8.05, 50.38],
    [8.25, 50.3],
    [8.31, 50.15], // Montabaur, Limburg, Bad Camberg, Niedernhausen
    [8.41, 50.07],
    [8.64, 50.05],
    [8.62, 49.88],
    [8.65, 49.55], // Wiesbadener Kreuz, Frankfurter Kreuz, Darmstadt, Weinheim
    [8.63, 49.42],
    [8.65, 49.3],
    [8.58, 49.12],
    [8.45, 49.01], // Heidelberg, Walldorf, Bruchsal, Karlsruhe
    [8.24, 48.85],
    [8.17, 48.76],
    [8.06, 48.63],
    [7.91, 48.46], // Rastatt, Baden-Baden, Achern, Offenburg
    [7.84, 48.35],
    [7.77, 48.03],
    [7.7, 47.93],
    [7.57, 47.81], // Lahr, Freiburg, Bad Krozingen, Neuenburg
    [7.608, 47.592],
    [7.6, 47.56],
    [7.7, 47.52],
    [7.81, 47.46], // Weil/Basel, Basel, Pratteln, Sissach
    [7.83, 47.37],
    [7.8, 47.32],
    [7.89, 47.3],
    [7.98, 47.21], // Belchen, Egerkingen, Rothrist, Dagmersellen
    [8.1, 47.17],
    [8.28, 47.08],
    [8.3, 47.04],
    [8.31, 46.99], // Sursee, Emmen, Luzern, Hergiswil
    [8.37, 46.96],
    [8.47, 46.97],
    [8.62, 46.9],
    [8.64, 46.88], // Stans, Beckenried, Flüelen, Altdorf
    [8.65, 46.82],
    [8.67, 46.77],
    [8.6, 46.71],
    [8.59, 46.67], // Erstfeld, Amsteg, Wassen, Göschenen
    [8.61, 46.53],
    [8.8, 46.48],
    [8.97, 46.36],
    [9.02, 46.19], // Airolo, Faido, Biasca, Bellinzona
    [8.92, 46.14],
    [8.94, 46.01],
    [8.95, 45.95],
    [8.98, 45.87], // Monte Ceneri, Lugano, Melide, Mendrisio
    [9.029, 45.839],
    [9.06, 45.8],
    [9.04, 45.74],
    [9.03, 45.7], // Chiasso-Brogeda, Como, Fino Mornasco, Lomazzo
    [9.04, 45.57],
    [9.135, 45.505], // Lainate, Milano Certosa
  ]),
  authorizedStops: [
    stop('Autohof Montabaur', 7.83, 50.44, 60),
    stop('Rasthof Baden-Baden', 8.17, 48.76, 60),
    stop('Erstfeld heavy vehicle control centre', 8.65, 46.82, 90),
  ],
};

/** Central Corridor: T1/T3 to Rusumo, RN3 to Kigali. */
const darKigali: Corridor = {
  id: 'DAR-KGL',
  name: 'Central Corridor: Dar es Salaam – Dodoma – Rusumo – Kigali',
  departureOffice: 'TZDAR',
  destinationOffice: 'RWKGL',
  borderOffices: ['TZRUS', 'RWRUS'],
  countries: ['TZ', 'RW'],
  transitHours: 120,
  climate: { temperatureC: 27, humidity: 60 },
  route: line([
    [39.288, -6.842],
    [39.245, -6.847],
    [39.204, -6.787],
    [39.16, -6.76], // port, Tazara, Ubungo, Kimara
    [39.1, -6.74],
    [38.92, -6.767],
    [38.733, -6.7],
    [38.63, -6.648], // Mbezi, Kibaha, Mlandizi, Vigwaza
    [38.353, -6.638],
    [38.17, -6.72],
    [37.9, -6.775],
    [37.75, -6.79], // Chalinze, Ubena, Mikese, Kingolwira
    [37.66, -6.815],
    [37.64, -6.62],
    [37.63, -6.37],
    [37.37, -6.36], // Morogoro, Mkambarazi, Dumila, Magole
    [37.12, -6.25], // Magubike
    [36.875, -6.138],
    [36.64, -6.075],
    [36.4, -6.1],
    [36.15, -6.14], // Gairo, Kibaigwa, Pandambili, Mbande
    [35.88, -6.17],
    [35.752, -6.163],
    [35.55, -6.05],
    [35.3, -5.92], // Ihumwa, Dodoma, Zuzu, Bahi turn
    [35.15, -5.85],
    [34.98, -5.78],
    [34.833, -5.746],
    [34.77, -5.44], // Kintinku, Solya, Manyoni, Issuna
    [34.74, -5.1],
    [34.744, -4.816],
    [34.52, -4.7],
    [34.19, -4.365], // Ikungi, Singida, Misigiri, Shelui
    [33.88, -4.28],
    [33.55, -4.25],
    [33.183, -4.213],
    [33.2, -3.88], // Igunga, Ziba, Nzega, Tinde
    [32.93, -3.888],
    [32.6, -3.838],
    [32.28, -3.64],
    [31.96, -3.49], // Isaka, Kahama, Bulige, Ushirombo
    [31.62, -3.3],
    [31.32, -3.07],
    [31.23, -2.93],
    [31.05, -2.75], // Runzewe, Nyakanazi, Lusahunga, Nyakahura
    [30.87, -2.53],
    [30.7865, -2.3845],
    [30.7772, -2.3806],
    [30.693, -2.276], // Kasulo, Rusumo TZ, Rusumo RW, Nyakarambi
    [30.6, -2.21],
    [30.543, -2.158],
    [30.52, -2.05],
    [30.505, -1.9], // Kirehe, Kibungo, Rukira, Kayonza
    [30.435, -1.949],
    [30.33, -1.97],
    [30.226, -1.978],
    [30.113, -1.956], // Rwamagana, Nyagasambu, Kabuga, Remera
    [30.092, -1.968],
    [30.079, -1.976], // Sonatubes, Magerwa Gikondo
  ]),
  authorizedStops: [
    stop('Vigwaza weighbridge', 38.63, -6.648, 60),
    stop('Ihumwa truck park (Dodoma)', 35.88, -6.17, 180),
    stop('Kahama truck park', 32.6, -3.838, 240),
    stop('Nyakanazi weighbridge', 31.32, -3.07, 60),
  ],
};

export const corridors: Corridor[] = [mombasaKampala, rotterdamMilan, darKigali];

/** The corridor office with this code; throws for an unknown code (a bug in the data). */
export function findOffice(code: string): CorridorOffice {
  const found = offices.find((o) => o.code === code);
  if (!found) throw new Error(`no corridor office ${code}`);
  return found;
}

/** The corridor with this id (MSA-KLA, RTM-MIL, DAR-KGL); throws for an unknown id. */
export function findCorridor(id: string): Corridor {
  const found = corridors.find((c) => c.id === id);
  if (!found) throw new Error(`no corridor ${id}`);
  return found;
}

/**
 * Where a point lies relative to a route ([lon, lat] pairs): `alongM`, the distance along the route
 * to the nearest point of it, and `offsetM`, the distance from the route. Each segment is projected
 * on a local flat plane, which is good to a few metres for segments of tens of kilometres.
 */
export function locateOnRoute(route: ReadonlyArray<ReadonlyArray<number>>, p: LatLon): { alongM: number; offsetM: number } {
  const M_PER_DEG = 111_320;
  let best = { alongM: 0, offsetM: Infinity };
  let walked = 0;
  for (let i = 0; i + 1 < route.length; i++) {
    const [aLon, aLat] = route[i];
    const [bLon, bLat] = route[i + 1];
    const k = Math.cos((aLat * Math.PI) / 180) * M_PER_DEG;
    const bx = (bLon - aLon) * k,
      by = (bLat - aLat) * M_PER_DEG;
    const px = (p.lon - aLon) * k,
      py = (p.lat - aLat) * M_PER_DEG;
    const len2 = bx * bx + by * by;
    const t = len2 > 0 ? Math.min(1, Math.max(0, (px * bx + py * by) / len2)) : 0;
    const offsetM = Math.hypot(px - t * bx, py - t * by);
    const segM = distanceM({ lat: aLat, lon: aLon }, { lat: bLat, lon: bLon });
    if (offsetM < best.offsetM) best = { alongM: walked + t * segM, offsetM };
    walked += segM;
  }
  if (route.length === 1) best = { alongM: 0, offsetM: distanceM({ lat: route[0][1], lon: route[0][0] }, p) };
  return best;
}
