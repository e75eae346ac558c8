/** The fleet simulator: real corridors, device keys and signing, a trip model, the live demo and load fleets. */
export { corridors, offices, findCorridor, findOffice, locateOnRoute, type Corridor, type CorridorOffice } from './corridors';
export { generateDeviceKey, deriveDemoKey, signMessage, type DeviceSigningKey } from './signer';
export {
  SealwatchClient,
  SealwatchApiError,
  endOpenMovements,
  MAX_INGEST_BATCH,
  type FetchLike,
  type FetchInit,
  type SealwatchApi,
  type NewOffice,
  type NewDevice,
  type NewMovement,
  type MovementSummary,
  type IngestResult,
} from './client';
export {
  planTrip,
  speedupForDuration,
  mulberry32,
  hashSeed,
  gaussian,
  type Trip,
  type TripPlan,
  type TripState,
  type Incident,
} from './trip';
export { startDemo, summarise, type DemoOptions, type DemoHandle } from './demo';
export {
  seedDemoParties,
  demoOrganisations,
  demoUsers,
  demoParty,
  DEMO_PASSWORD,
  type DemoUser,
  type DemoOrganisation,
  type DemoPartiesApi,
} from './demo-parties';
export { demoVehicles, buildDemoDevice, buildDemoMovement, buildPayload, type DemoVehicle } from './demo-vehicles';
export { simulateFleet, type FleetOptions, type FleetCounts, type FleetProgress } from './fleet';
export { containerNumber, sealNumber, imei, isValidImei } from './cargo-identifiers';
export { loadExercises, shippedExercisesDir } from './training/exercises';
export { exerciseScript, corridorLengthM, type ExerciseScript, type ScriptedMessage } from './training/exercise-script';
