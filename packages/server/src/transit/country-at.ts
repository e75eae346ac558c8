/**
 * The server's `countryAt` for the border rule (core/transit/areas.ts takes it as an argument,
 * so the core holds no map): the country polygons of Natural Earth 1:50m (world-atlas, the map
 * the console already ships), looked up through a 1° grid of candidate polygons. At 1:50m a
 * border is placed to within about a kilometre; the rule's hysteresis (200 m travelled in the
 * new country) and dating at the first fix there make that good enough for a timeline, not for
 * evidence of where exactly the line was crossed. Territories without an ISO code in the map
 * (Kosovo, N. Cyprus, Somaliland) answer null, and the rule skips those fixes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isInArea, type LatLon } from '@sealwatch/core';
import { feature } from '@sealwatch/core/geo/topojson';
import type { FeatureCollection, Topology } from '@sealwatch/core/geo/topojson';

// ISO 3166-1 numeric → alpha-2 for every id in world-atlas countries-50m (generated from Debian's iso-codes).
const NUMERIC_TO_ALPHA2 =
  '004AF 008AL 010AQ 012DZ 016AS 020AD 024AO 028AG 031AZ 032AR 036AU 040AT 044BS 048BH 050BD 051AM' +
  '052BB 056BE 060BM 064BT 068BO 070BA 072BW 076BR 084BZ 086IO 090SB 092VG 096BN 100BG 104MM 108BI' +
  '112BY 116KH 120CM 124CA 132CV 136KY 140CF 144LK 148TD 152CL 156CN 158TW 170CO 174KM 178CG 180CD' +
  '184CK 188CR 191HR 192CU 196CY 203CZ 204BJ 208DK 212DM 214DO 218EC 222SV 226GQ 231ET 232ER 233EE' +
  '234FO 238FK 239GS 242FJ 246FI 248AX 250FR 258PF 260TF 262DJ 266GA 268GE 270GM 275PS 276DE 288GH' +
  '296KI 300GR 304GL 308GD 316GU 320GT 324GN 328GY 332HT 334HM 336VA 340HN 344HK 348HU 352IS 356IN' +
  '360ID 364IR 368IQ 372IE 376IL 380IT 384CI 388JM 392JP 398KZ 400JO 404KE 408KP 410KR 414KW 417KG' +
  '418LA 422LB 426LS 428LV 430LR 434LY 438LI 440LT 442LU 446MO 450MG 454MW 458MY 462MV 466ML 470MT' +
  '478MR 480MU 484MX 492MC 496MN 498MD 499ME 500MS 504MA 508MZ 512OM 516NA 520NR 524NP 528NL 531CW' +
  '533AW 534SX 540NC 548VU 554NZ 558NI 562NE 566NG 570NU 574NF 578NO 580MP 583FM 584MH 585PW 586PK' +
  '591PA 598PG 600PY 604PE 608PH 612PN 616PL 620PT 624GW 626TL 630PR 634QA 642RO 643RU 646RW 652BL' +
  '654SH 659KN 660AI 662LC 663MF 666PM 670VC 674SM 678ST 682SA 686SN 688RS 690SC 694SL 702SG 703SK' +
  '704VN 705SI 706SO 710ZA 716ZW 724ES 728SS 729SD 732EH 740SR 748SZ 752SE 756CH 760SY 762TJ 764TH' +
  '768TG 776TO 780TT 784AE 788TN 792TR 795TM 796TC 800UG 804UA 807MK 818EG 826GB 831GG 832JE 833IM' +
  '834TZ 840US 850VI 854BF 858UY 860UZ 862VE 876WF 882WS 887YE 894ZM';

interface CountryPolygon {
  country: string;
  coordinates: number[][][];
  bbox: [number, number, number, number];
}

let polygons: CountryPolygon[] | null = null;
const grid = new Map<number, CountryPolygon[]>();

function load(): CountryPolygon[] {
  const alpha2 = new Map((NUMERIC_TO_ALPHA2.match(/\d{3}[A-Z]{2}/g) ?? []).map((p) => [p.slice(0, 3), p.slice(3)]));
  const file = createRequire(import.meta.url).resolve('world-atlas/countries-50m.json');
  const topology = JSON.parse(readFileSync(file, 'utf8')) as Topology;
  const out: CountryPolygon[] = [];
  for (const f of (feature(topology, 'countries') as FeatureCollection).features) {
    const country = alpha2.get(String(f.id ?? ''));
    const g = f.geometry;
    if (!country || !g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) continue;
    for (const coordinates of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
      const xs = coordinates[0].map((c) => c[0]),
        ys = coordinates[0].map((c) => c[1]);
      out.push({ country, coordinates, bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] });
    }
  }
  return out;
}

/** The polygons whose bounding box meets the 1° cell of the point (computed once per cell). */
function candidates(p: LatLon): CountryPolygon[] {
  polygons ??= load();
  const x = Math.floor(p.lon),
    y = Math.floor(p.lat),
    key = (y + 90) * 361 + (x + 180);
  let list = grid.get(key);
  if (!list) {
    list = polygons.filter((c) => c.bbox[0] <= x + 1 && c.bbox[2] >= x && c.bbox[1] <= y + 1 && c.bbox[3] >= y);
    grid.set(key, list);
  }
  return list;
}

/** ISO 3166-1 alpha-2 of the country at a WGS84 point, or null at sea or where the map has no code. */
export function countryAt(p: LatLon): string | null {
  if (!Number.isFinite(p.lat) || !Number.isFinite(p.lon)) return null;
  for (const c of candidates(p)) {
    if (p.lon < c.bbox[0] || p.lon > c.bbox[2] || p.lat < c.bbox[1] || p.lat > c.bbox[3]) continue;
    if (isInArea(p, { type: 'Polygon', coordinates: c.coordinates })) return c.country;
  }
  return null;
}
