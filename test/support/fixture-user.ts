/** The user every fixture is about (fictitious: UK drama number range). */
export const FIXTURE_USER = {
  sub: '5f1b7c2e-9a0d-4e8b-b3c1-2d4e6f8a0b1c',
  phoneNumber: '+447700900123',
  email: 'ada.lovelace@example.com',
  givenName: 'Ada',
} as const;
export const FIXTURE_POOL_ID = 'eu-central-1_Tr1ggers0';
export const FIXTURE_CLIENT_ID = '3n4b5urk1ft4fl3mg5e62d9ado';
