/**
 * The network servers' own published example messages, as test data (facts, copied as published):
 * - ChirpStack v4: chirpstack/chirpstack-docs, src/chirpstack/integrations/events.md (`up`, `status`, `location`).
 * - The Things Stack v3: TheThingsIndustries/lorawan-stack-docs, doc/content/integrations/data-formats/_index.md
 *   ("Uplink message example", the version with `version_ids`; the published text lacks the comma
 *   after `attributes`, added here so it parses, and "Join message example").
 * TTS publishes no JSON example of `location_solved` (its LoRa Cloud pages show screenshots): that
 * message is built from its schema (ttnpb.ApplicationLocation) with the source a TOA/RSSI solve shows
 * (`SOURCE_LORA_RSSI_GEOLOCATION`, the docs' screenshot); its service id and values are illustrative.
 */
const chirpStackDeviceInfo = {
  tenantId: '52f14cd4-c6f1-4fbd-8f87-4025e1d49242',
  tenantName: 'ChirpStack',
  applicationId: '17c82e96-be03-4f38-aef3-f83d48582d97',
  applicationName: 'Test application',
  deviceProfileId: '14855bf7-d10d-4aee-b618-ebfcb64dc7ad',
  deviceProfileName: 'Test device-profile',
  deviceName: 'Test device',
  devEui: '0101010101010101',
  tags: { key: 'value' },
};

export const chirpStackUpExample = {
  deduplicationId: '3ac7e3c4-4401-4b8d-9386-a5c902f9202d',
  time: '2022-07-18T09:34:15.775023242+00:00',
  deviceInfo: chirpStackDeviceInfo,
  devAddr: '00189440',
  dr: 1,
  fPort: 1,
  data: 'qg==',
  rxInfo: [
    {
      gatewayId: '0016c001f153a14c',
      uplinkId: 4217106255,
      rssi: -36,
      snr: 10.5,
      context: 'E3OWOQ==',
      metadata: { region_name: 'eu868', region_common_name: 'EU868' },
    },
  ],
  txInfo: { frequency: 867100000, modulation: { lora: { bandwidth: 125000, spreadingFactor: 11, codeRate: 'CR_4_5' } } },
};

export const chirpStackStatusExample = {
  deduplicationId: 'bf2a9746-1c8b-49be-a92e-f0b89c8534e4',
  time: '2022-07-18T09:35:06.927172638+00:00',
  deviceInfo: {
    tenantId: '52f14cd4-c6f1-4fbd-8f87-4025e1d49242',
    tenantName: 'ChirpStack',
    applicationId: '17c82e96-be03-4f38-aef3-f83d48582d97',
    applicationName: 'Test application',
    deviceProfileId: '14855bf7-d10d-4aee-b618-ebfcb64dc7ad',
    deviceProfileName: 'Test device-profile',
    deviceName: 'Test device',
    devEui: '0101010101010101',
  },
  margin: 10,
  batteryLevel: 88.3,
};

export const chirpStackLocationExample = {
  deduplicationId: '63d870b9-b769-4d88-8b33-8e43f58851a7',
  time: '2022-07-18T09:55:11.059481003+00:00',
  deviceInfo: chirpStackDeviceInfo,
  location: { latitude: 37.344214, longitude: -8.839375, altitude: 2 },
};

export const ttsUplinkExample = {
  end_device_ids: {
    device_id: 'dev1',
    application_ids: { application_id: 'app1' },
    dev_eui: '0004A30B001C0530',
    join_eui: '800000000000000C',
    dev_addr: '00BCB929',
  },
  correlation_ids: [
    'as:up:01E0WZGT6Y7657CPFPE5WEYDSQ',
    'gs:conn:01E0WDEC6T5T4XXBAX7S1VMFKE',
    'gs:uplink:01E0WZGSZWT07NE5TS2APTV1Z9',
    'ns:uplink:01E0WZGSZXZXZS8RFAWZX0F2FY',
    'rpc:/ttn.lorawan.v3.GsNs/HandleUplink:01E0WZGSZXGE1KS577PFBWRJEE',
  ],
  received_at: '2020-02-12T15:15:46.014773143Z',
  uplink_message: {
    session_key_id: 'AXA50tHUGUucuzS/bCGMNw==',
    f_cnt: 1,
    frm_payload: 'gkHe',
    decoded_payload: { temperature: 1.0, luminosity: 0.64 },
    rx_metadata: [
      {
        gateway_ids: { gateway_id: 'gtw1', eui: '9C5C8E00001A05C4' },
        time: '2020-02-12T15:15:45.787Z',
        timestamp: 2463457000,
        rssi: -35,
        channel_rssi: -35,
        snr: 5,
        uplink_token: 'ChIKEAoEZ3R3MRIInFyOAAAaBcQQ6L3Vlgk=',
        channel_index: 2,
      },
    ],
    settings: {
      data_rate: { lora: { bandwidth: 125000, spreading_factor: 7 } },
      coding_rate: '4/6',
      frequency: '868300000',
      timestamp: 2463457000,
      time: '2020-02-12T15:15:45.787Z',
    },
    consumed_airtime: '0.056576s',
    locations: { user: { latitude: 37.97155556731436, longitude: 23.72678801175413, altitude: 10, source: 'SOURCE_REGISTRY' } },
    version_ids: {
      brand_id: 'the-things-products',
      model_id: 'the-things-uno',
      hardware_version: '1.0',
      firmware_version: 'quickstart',
      band_id: 'US_902_928',
    },
    network_ids: { net_id: '000013', tenant_id: 'tenant1', cluster_id: 'nam1' },
    attributes: { key1: 'value1', key2: 'value2' },
    received_at: '2020-02-12T15:15:45.789585559Z',
  },
};

export const ttsJoinExample = {
  end_device_ids: {
    device_id: 'dev1',
    application_ids: { application_id: 'app1' },
    dev_eui: '0004A30B001C0530',
    join_eui: '800000000000000C',
    dev_addr: '01497ECC',
  },
  correlation_ids: [
    'as:up:01E191YN5F2HMBQCBCVRF731VY',
    'gs:conn:01E191S6ZEWB630NTR45K5QN4Q',
    'gs:uplink:01E191YMZ2S7ZRTEGATVE2S3HH',
    'ns:uplink:01E191YMZ2J64K6FEW5F0WE7TQ',
    'rpc:/ttn.lorawan.v3.GsNs/HandleUplink:01E191YMZ2KK3TJYG5C4XZP8JK',
  ],
  received_at: '2020-02-17T07:49:09.935284891Z',
  join_accept: { session_key_id: 'AXBSH1Pk6Z0G166RlH16CQ==', received_at: '2020-02-17T07:49:09.736532315Z' },
};

/** Built from ttnpb.ApplicationLocation (no published JSON example): a LoRa Cloud TOA/RSSI solve. */
export const ttsLocationSolvedExample = {
  end_device_ids: { device_id: 'dev1', application_ids: { application_id: 'app1' }, dev_eui: '0004A30B001C0530' },
  correlation_ids: ['as:up:01E0WZGT6Y7657CPFPE5WEYDSQ'],
  received_at: '2020-02-12T15:15:47.014773143Z',
  location_solved: {
    service: 'lora-cloud-geolocation', // illustrative: the service's id as the Application Server names it
    location: { latitude: 37.9715, longitude: 23.7267, altitude: 10, accuracy: 150, source: 'SOURCE_LORA_RSSI_GEOLOCATION' },
  },
};
