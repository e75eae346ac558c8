export * from './xml';
export * from './ncts-cc029c';
export * from './ncts-cc182c';
export * from './seal-condition';
export * from './iftsta';
export * from './epcis';
export * from './epcis-capture';
export * from './dcsa-tnt';
