export * from './decoded';
export * from './osmand/osmand';
export * from './teltonika/teltonika';
export * from './teltonika/teltonika-frames';
export * from './teltonika/teltonika-udp';
export * from './teltonika/teltonika-encoder';
