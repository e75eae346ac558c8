export * from './ids';
export * from './errors';
export * from './model';
export * from './containers/iso6346';
export * from './geo/distance';
export * from './geo/area';
