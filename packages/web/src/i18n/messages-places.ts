/** Places instead of coordinates ("12 km NW of Malaba, Uganda"), EN/FR/AR. */
export const placesEn = {
  'place.at': '{place}, {country}',
  'place.near': '{distance} {direction} of {place}, {country}',
  'place.coordsTitle': 'Coordinates: {coords}',
  'compass.N': 'N',
  'compass.NE': 'NE',
  'compass.E': 'E',
  'compass.SE': 'SE',
  'compass.S': 'S',
  'compass.SW': 'SW',
  'compass.W': 'W',
  'compass.NW': 'NW',
} as const;

type PlacesKey = keyof typeof placesEn;

export const placesFr: Record<PlacesKey, string> = {
  'place.at': '{place}, {country}',
  'place.near': 'à {distance} {direction} de {place}, {country}',
  'place.coordsTitle': 'Coordonnées : {coords}',
  'compass.N': 'au nord',
  'compass.NE': 'au nord-est',
  'compass.E': 'à l’est',
  'compass.SE': 'au sud-est',
  'compass.S': 'au sud',
  'compass.SW': 'au sud-ouest',
  'compass.W': 'à l’ouest',
  'compass.NW': 'au nord-ouest',
};

export const placesAr: Record<PlacesKey, string> = {
  'place.at': '{place}، {country}',
  'place.near': 'على بعد {distance} {direction} {place}، {country}',
  'place.coordsTitle': 'الإحداثيات: {coords}',
  'compass.N': 'شمال',
  'compass.NE': 'شمال شرق',
  'compass.E': 'شرق',
  'compass.SE': 'جنوب شرق',
  'compass.S': 'جنوب',
  'compass.SW': 'جنوب غرب',
  'compass.W': 'غرب',
  'compass.NW': 'شمال غرب',
};
