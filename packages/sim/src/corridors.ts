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

const office = (code: string, name: string, country: string, lat: number, lon: number, radiusM: number): CorridorOffice =>
  ({ code, name, country, area: { center: { lat, lon }, radiusM } });

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
const stop = (name: string, lon: number, lat: number, maxDwellMinutes: number, radiusM = 600): AuthorizedStop =>
  ({ name, area: { center: { lat, lon }, radiusM }, maxDwellMinutes });

/** Northern Corridor: A109/A104 in Kenya, Tororo–Jinja–Kampala highway in Uganda. */
const mombasaKampala: Corridor = {
  id: 'MSA-KLA',
  name: 'Northern Corridor: Mombasa – Nairobi – Malaba – Kampala',
  departureOffice: 'KEMBA', destinationOffice: 'UGKLA', borderOffices: ['KEMAL', 'UGMAL'], countries: ['KE', 'UG'],
  transitHours: 96, climate: { temperatureC: 26, humidity: 65 },
  route: line([
    [39.642, -4.046], [39.630, -4.024], [39.592, -3.990], [39.548, -3.968], // port, Changamwe, Miritini, Mazeras
    [39.473, -3.863], [39.277, -3.775], [39.155, -3.748], [39.040, -3.730], // Mariakani, Samburu, Taru, Mackinnon Road
    [38.747, -3.558], [38.556, -3.396], [38.495, -3.090], [38.466, -2.993], // Maungu, Voi, Manyani, Tsavo River
    [38.330, -2.850], [38.167, -2.689], [37.966, -2.414], [37.825, -2.278], // Kanga, Mtito Andei, Kibwezi, Makindu
    [37.720, -2.205], [37.473, -2.081], [37.376, -2.020], [37.260, -1.900], // Kiboko, Emali, Sultan Hamud, Salama
    [37.127, -1.735], [36.978, -1.456], [36.942, -1.392], [36.896, -1.340], // Konza, Athi River, Mlolongo, JKIA junction
    [36.844, -1.323], [36.760, -1.315], [36.663, -1.246], [36.624, -1.150], // Mombasa Rd, Southern Bypass, Kikuyu, Rironi
    [36.620, -1.040], [36.598, -0.965], [36.560, -0.910], [36.433, -0.717], // Uplands, Kimende, Kinale, Naivasha
    [36.323, -0.499], [36.240, -0.420], [36.080, -0.303], [35.860, -0.210], // Gilgil, Elementaita, Nakuru, Salgaa
    [35.680, -0.140], [35.537, 0.075], [35.428, 0.226], [35.270, 0.514],    // Mau Summit, Timboroa, Burnt Forest, Eldoret
    [35.050, 0.635], [34.770, 0.607], [34.561, 0.564], [34.450, 0.585],     // Turbo, Webuye, Bungoma, Myanga
    [34.360, 0.612], [34.2795, 0.6345], [34.2715, 0.6375], [34.181, 0.693], // Malakisi turn, Malaba KE, Malaba UG, Tororo
    [34.030, 0.540], [33.742, 0.571], [33.469, 0.609], [33.300, 0.500],     // Busitema, Bugiri, Iganga, Magamaga
    [33.204, 0.424], [33.150, 0.430], [33.020, 0.400], [32.940, 0.369],     // Jinja, Njeru, Mabira, Lugazi
    [32.755, 0.353], [32.648, 0.346], [32.615, 0.331],                      // Mukono, Kireka, Nakawa
  ]),
  authorizedStops: [
    stop('Mariakani weighbridge', 39.473, -3.863, 60),
    stop('Mtito Andei truck stop', 38.167, -2.689, 120),
    stop('Athi River weighbridge', 36.978, -1.456, 60),
    stop('Gilgil weighbridge', 36.323, -0.499, 60),
    stop('Webuye weighbridge', 34.770, 0.607, 60),
  ],
};

/** Rhine–Alpine corridor: A15/A73 (NL), A61/A4/A3/A5 (DE), A2 over the Gotthard (CH), A9/A8 (IT). */
const rotterdamMilan: Corridor = {
  id: 'RTM-MIL',
  name: 'Rhine–Alpine: Rotterdam – Cologne – Frankfurt – Basel – Gotthard – Milan',
  departureOffice: 'NL000396', destinationOffice: 'IT076100', borderOffices: ['CH001171', 'CH004101'],
  countries: ['NL', 'DE', 'CH', 'IT'], transitHours: 48, climate: { temperatureC: 12, humidity: 75 },
  route: line([
    [4.045, 51.955], [4.150, 51.928], [4.240, 51.895], [4.310, 51.866], // Maasvlakte, Europoort, Rozenburg, Botlek
    [4.380, 51.868], [4.490, 51.862], [4.600, 51.865], [4.770, 51.830], // Beneluxplein, Vaanplein, Ridderkerk, Sliedrecht
    [4.975, 51.832], [5.290, 51.878], [5.430, 51.890], [5.745, 51.870], // Gorinchem, Geldermalsen, Tiel, Ewijk
    [5.770, 51.815], [5.845, 51.770], [5.940, 51.650], [5.975, 51.530], // Wijchen, Heumen, Boxmeer, Venray
    [6.110, 51.390], [6.170, 51.365], [6.210, 51.345], [6.330, 51.270], // Zaarderheiken, Venlo, Kaldenkirchen, Viersen
    [6.400, 51.180], [6.420, 51.115], [6.520, 51.030], [6.620, 50.950], // Mönchengladbach, Wanlo, Jackerath, Bergheim
    [6.690, 50.875], [6.830, 50.920], [6.950, 50.890], [7.020, 50.925], // Kerpen, Köln-West, Köln-Süd, Gremberg
    [7.080, 50.910], [7.220, 50.820], [7.400, 50.620], [7.650, 50.550], // Heumar, Siegburg, Neustadt (Wied), Dierdorf
    [7.830, 50.440], [8.050, 50.380], [8.250, 50.300], [8.310, 50.150], // Montabaur, Limburg, Bad Camberg, Niedernhausen
    [8.410, 50.070], [8.640, 50.050], [8.620, 49.880], [8.650, 49.550], // Wiesbadener Kreuz, Frankfurter Kreuz, Darmstadt, Weinheim
    [8.630, 49.420], [8.650, 49.300], [8.580, 49.120], [8.450, 49.010], // Heidelberg, Walldorf, Bruchsal, Karlsruhe
    [8.240, 48.850], [8.170, 48.760], [8.060, 48.630], [7.910, 48.460], // Rastatt, Baden-Baden, Achern, Offenburg
    [7.840, 48.350], [7.770, 48.030], [7.700, 47.930], [7.570, 47.810], // Lahr, Freiburg, Bad Krozingen, Neuenburg
    [7.608, 47.592], [7.600, 47.560], [7.700, 47.520], [7.810, 47.460], // Weil/Basel, Basel, Pratteln, Sissach
    [7.830, 47.370], [7.800, 47.320], [7.890, 47.300], [7.980, 47.210], // Belchen, Egerkingen, Rothrist, Dagmersellen
    [8.100, 47.170], [8.280, 47.080], [8.300, 47.040], [8.310, 46.990], // Sursee, Emmen, Luzern, Hergiswil
    [8.370, 46.960], [8.470, 46.970], [8.620, 46.900], [8.640, 46.880], // Stans, Beckenried, Flüelen, Altdorf
    [8.650, 46.820], [8.670, 46.770], [8.600, 46.710], [8.590, 46.670], // Erstfeld, Amsteg, Wassen, Göschenen
    [8.610, 46.530], [8.800, 46.480], [8.970, 46.360], [9.020, 46.190], // Airolo, Faido, Biasca, Bellinzona
    [8.920, 46.140], [8.940, 46.010], [8.950, 45.950], [8.980, 45.870], // Monte Ceneri, Lugano, Melide, Mendrisio
    [9.029, 45.839], [9.060, 45.800], [9.040, 45.740], [9.030, 45.700], // Chiasso-Brogeda, Como, Fino Mornasco, Lomazzo
    [9.040, 45.570], [9.135, 45.505],                                   // Lainate, Milano Certosa
  ]),
  authorizedStops: [
    stop('Autohof Montabaur', 7.830, 50.440, 60),
    stop('Rasthof Baden-Baden', 8.170, 48.760, 60),
    stop('Erstfeld heavy vehicle control centre', 8.650, 46.820, 90),
  ],
};

/** Central Corridor: T1/T3 to Rusumo, RN3 to Kigali. */
const darKigali: Corridor = {
  id: 'DAR-KGL',
  name: 'Central Corridor: Dar es Salaam – Dodoma – Rusumo – Kigali',
  departureOffice: 'TZDAR', destinationOffice: 'RWKGL', borderOffices: ['TZRUS', 'RWRUS'], countries: ['TZ', 'RW'],
  transitHours: 120, climate: { temperatureC: 27, humidity: 60 },
  route: line([
    [39.288, -6.842], [39.245, -6.847], [39.204, -6.787], [39.160, -6.760], // port, Tazara, Ubungo, Kimara
    [39.100, -6.740], [38.920, -6.767], [38.733, -6.700], [38.630, -6.648], // Mbezi, Kibaha, Mlandizi, Vigwaza
    [38.353, -6.638], [38.170, -6.720], [37.900, -6.775], [37.750, -6.790], // Chalinze, Ubena, Mikese, Kingolwira
    [37.660, -6.815], [37.640, -6.620], [37.630, -6.370], [37.370, -6.360], // Morogoro, Mkambarazi, Dumila, Magole
    [37.120, -6.250], // Magubike
    [36.875, -6.138], [36.640, -6.075], [36.400, -6.100], [36.150, -6.140], // Gairo, Kibaigwa, Pandambili, Mbande
    [35.880, -6.170], [35.752, -6.163], [35.550, -6.050], [35.300, -5.920], // Ihumwa, Dodoma, Zuzu, Bahi turn
    [35.150, -5.850], [34.980, -5.780], [34.833, -5.746], [34.770, -5.440], // Kintinku, Solya, Manyoni, Issuna
    [34.740, -5.100], [34.744, -4.816], [34.520, -4.700], [34.190, -4.365], // Ikungi, Singida, Misigiri, Shelui
    [33.880, -4.280], [33.550, -4.250], [33.183, -4.213], [33.200, -3.880], // Igunga, Ziba, Nzega, Tinde
    [32.930, -3.888], [32.600, -3.838], [32.280, -3.640], [31.960, -3.490], // Isaka, Kahama, Bulige, Ushirombo
    [31.620, -3.300], [31.320, -3.070], [31.230, -2.930], [31.050, -2.750], // Runzewe, Nyakanazi, Lusahunga, Nyakahura
    [30.870, -2.530], [30.7865, -2.3845], [30.7772, -2.3806], [30.693, -2.276], // Kasulo, Rusumo TZ, Rusumo RW, Nyakarambi
    [30.600, -2.210], [30.543, -2.158], [30.520, -2.050], [30.505, -1.900], // Kirehe, Kibungo, Rukira, Kayonza
    [30.435, -1.949], [30.330, -1.970], [30.226, -1.978], [30.113, -1.956], // Rwamagana, Nyagasambu, Kabuga, Remera
    [30.092, -1.968], [30.079, -1.976],                                     // Sonatubes, Magerwa Gikondo
  ]),
  authorizedStops: [
    stop('Vigwaza weighbridge', 38.630, -6.648, 60),
    stop('Ihumwa truck park (Dodoma)', 35.880, -6.170, 180),
    stop('Kahama truck park', 32.600, -3.838, 240),
    stop('Nyakanazi weighbridge', 31.320, -3.070, 60),
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
    const bx = (bLon - aLon) * k, by = (bLat - aLat) * M_PER_DEG;
    const px = (p.lon - aLon) * k, py = (p.lat - aLat) * M_PER_DEG;
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
