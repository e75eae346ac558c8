/**
 * Real JT600-family frames with what they must decode to: J1-J7, J9 and J10 are reference §12.1
 * (Traccar Jt600ProtocolDecoderTest); `jt701Index9` is the same test file's older P45 frame.
 */
export const jt600Golden = {
  /** J1: JT701, protocol 0x19, 2021-10-06 07:54:43, 54.32272 N 6.35571 W, 7 satellites, 108 km, status 0x20E0, battery 100 %; wants (P69,0,110). */
  jt701: '2480413009781914003406102107544354193631006213423b00000000006c070000000020e064f91ea0671d00020f0f0f0f0f0f0f0f0f0f07f100ea0f6e',
  /** J2: JT701, protocol 0x17, 2019-08-19 20:06:18, 51.63476 N 3.42704 W, status 0x20C0, battery 0xFF (charging); no ack asked. */
  jt701Charging:
    '2478807035371711003419081920061851380856003256223b000000000000070000000020c0ff965d54de1800000f0f0f0f0f0f0f0f0f0f02d600ea0a21',
  /** J3: GL600 lock, protocol 0x01, 2019-03-18 19:19:58, 22.7076 N 114.2648 E, status 0x00F0. */
  gl600: '2480433966040111002718031919195822424550114158888E15A40000F124080000000000F00F110A24991900000DF0C7',
  /** J4: P45 lock event with RFID card 0012260888, index 0. */
  p45Card: '(2050018634,P45,051124,204046,9.861502,N,83.950336,W,A,1,0,1,1,0012260888,0,0,0)',
  /** J5: P45, event source 5, no card, index 9, one extra field. */
  p45NoCard: '(8000632862,P45,290322,132412,25.28217,S,57.54683,W,A,0,0,5,0,0000000000,0,0,9,0)',
  /** J6: short binary version 1, 2011-02-16 05:59:10, 22.54977 N 114.07705 W. */
  shortV1: '24311021600111001B16021105591022329862114046227B0598095080012327951435161F',
  /** J7: W01 text, 2011-05-04 06:37:36, 22.54994 N 114.07701 E, power 100, GPS 4, GSM 17, alert type 1; no reply. */
  w01: '(3110312099,W01,11404.6204,E,2232.9961,N,A,040511,063736,4,7,100,4,17,1,1,company)',
  /** J9: U01 text, 2012-08-04 18:53:02, 22.564025 N 113.242329 E, 5.21 mph, battery 32 %, odometer 100 km, index 1; wants (S39). */
  u01: '(3301210003,U01,040812,185302,T,22.564025,N,113.242329,E,5.21,152,9,32%,00000000000011,10133,5173,22,100,1)',
  /** U06 alarm 7 with a checksum and two trailing fields (made for this suite from the U06 layout); wants (S20). */
  u06: '(3301210003,U06,7,150326,101500,T,1.292100,S,36.821900,E,12.5,90,8,64%,00000001000000,10133,5173,20,4521,17,4C,300,10)',
  /** J10: heartbeat. */
  heartbeat: '(3460311327,@JT)',
} as const;

export const jt600GoldenBytes = (name: keyof typeof jt600Golden): Buffer => {
  const v = jt600Golden[name];
  return v.startsWith('(') ? Buffer.from(v, 'latin1') : Buffer.from(v, 'hex');
};

/**
 * More frames from Traccar's src/test/java/org/traccar/protocol/Jt600ProtocolDecoderTest.java (HEAD
 * 9e5c458), named by the line of the frame in that file; the readings are ours, from the bytes.
 */
export const jt600Traccar = {
  /** L43 (verifyPositions): short format version 2 from 4081118888, 6 records from 2009-06-09 08:04:53 UTC, 22.9400417 N 113.4038817 E, odometer 45 km. */
  shortV2L43:
    '2440811188882400A209060908045322564025113242329F0598000001003F0000002D0009060908050322564025113242329F0598000001003F0000002D0009060908051322564025113242329F0598000001003F0000002D0009060908052322564025113242329F0598000001003F0000002D0009060908053322564025113242329F0598000001003F0000002D0009060908054322564025113242329F0598000001003F0000002D001F',
  /** L58 (verifyPositions): short format version 3 from 6570607301, 2017-11-13 10:36:19 UTC, 6.8975417 N 79.8746617 E, odometer 3 km, ignition on. */
  shortV3L58: '24657060730131001b13111710361906538525079524797f000000000000000003f300036c',
  /** L61 (verifyPositions): short format version 2 from 6240901961 (first digit 6: no guess from the id), 2017-07-19 03:49:36 UTC, 31.462005 N 74.39292 E. */
  shortV2L61: '24624090196121001b19071703493631277203074235752f295800005308010000768b0822',
} as const;

export const jt600TraccarBytes = (name: keyof typeof jt600Traccar): Buffer => Buffer.from(jt600Traccar[name], 'hex');
