export * from './decoded';
export * from './osmand/osmand';
