import { describe, expect, it } from 'vitest';
import { planRoutes, routeForMessage } from '../../../shared/routing/plan';
import { smsSettingsSchema } from '../../../shared/sms/settings';

const settings = smsSettingsSchema.parse({
  sns: {
    maxPrice: '0.10',
    countries: {
      DE: { senderId: 'Suite' },
      US: { originationNumber: '+18885550100', maxPrice: '0.02' },
      IN: { senderId: 'SUITEIN', entityId: '1101', templateId: '1107' },
    },
  },
  endUserMessaging: {
    configurationSetName: 'otp',
    countries: {
      US: {
        identities: [
          { type: 'short-code', id: '12345' },
          { type: 'toll-free', id: '+18885550100' },
        ],
      },
      '*': { identities: [{ type: 'pool', id: 'pool-1' }] },
    },
  },
});

const base = {
  cognitoRegion: 'eu-central-1',
  regionOverride: [],
  settings,
} as const;

describe('route planning', () => {
  it('routes SNS through the table regions with the country attributes', () => {
    // Act
    const plan = planRoutes({ ...base, transport: 'sns', country: 'DE' });

    // Assess
    expect(plan).toEqual({
      ok: true,
      routes: [
        {
          transport: 'sns',
          region: 'eu-central-1',
          senderId: 'Suite',
          maxPrice: '0.10',
        },
        {
          transport: 'sns',
          region: 'eu-west-1',
          senderId: 'Suite',
          maxPrice: '0.10',
        },
      ],
    });
  });

  it('uses the origination number and its own price cap where configured', () => {
    // Act
    const plan = planRoutes({
      ...base,
      transport: 'sns',
      country: 'US',
      cognitoRegion: 'us-east-1',
    });

    // Assess
    expect(plan).toEqual({
      ok: true,
      routes: [
        {
          transport: 'sns',
          region: 'us-east-1',
          originationNumber: '+18885550100',
          maxPrice: '0.02',
        },
      ],
    });
  });

  it('uses the origination number in the preferred region only (it is regional)', () => {
    // Act
    const plan = planRoutes({
      ...base,
      transport: 'sns',
      country: 'US',
      cognitoRegion: 'us-east-2',
    });

    // Assess
    expect(plan).toEqual({
      ok: true,
      routes: [
        {
          transport: 'sns',
          region: 'us-east-2',
          originationNumber: '+18885550100',
          maxPrice: '0.02',
        },
        { transport: 'sns', region: 'us-east-1', maxPrice: '0.02' },
      ],
    });
  });

  it('never fails over around a protect configuration', () => {
    // Prepare
    const regional = smsSettingsSchema.parse({
      endUserMessaging: { regions: ['eu-central-1', 'eu-west-1'] },
    });

    // Act
    const guarded = planRoutes({
      ...base,
      settings: regional,
      transport: 'end-user-messaging',
      country: 'DE',
      deployment: { protectConfigurationId: 'protect-1' },
    });
    const open = planRoutes({
      ...base,
      settings: regional,
      transport: 'end-user-messaging',
      country: 'DE',
    });
    const both = planRoutes({
      ...base,
      settings: smsSettingsSchema.parse({
        endUserMessaging: {
          regions: ['eu-central-1', 'eu-west-1'],
          protectConfigurationId: 'protect-everywhere',
        },
      }),
      transport: 'end-user-messaging',
      country: 'DE',
    });

    // Assess
    const regions = (plan: typeof open) =>
      plan.ok ? plan.routes.map((route) => route.region) : [];
    expect(regions(guarded)).toEqual(['eu-central-1']);
    expect(regions(open)).toEqual(['eu-central-1', 'eu-west-1']);
    expect(regions(both)).toEqual(['eu-central-1', 'eu-west-1']);
  });

  it('carries India TRAI ids on SNS routes', () => {
    // Act
    const plan = planRoutes({
      ...base,
      transport: 'sns',
      country: 'IN',
      cognitoRegion: 'ap-south-1',
    });

    // Assess
    expect(plan.ok && plan.routes[0]).toMatchObject({
      region: 'ap-south-1',
      senderId: 'SUITEIN',
      entityId: '1101',
      templateId: '1107',
    });
    expect(plan.ok && plan.routes[1]).toMatchObject({
      region: 'ap-southeast-1',
    });
  });

  it('picks the template id registered for the message kind and locale', () => {
    // Prepare
    const route = {
      transport: 'sns' as const,
      region: 'ap-south-1',
      templateId: '1107',
      templateIds: { SignUp: '1201', 'SignUp:hi': '1202' },
    };

    // Act
    const hindi = routeForMessage(route, 'SignUp', 'hi');
    const english = routeForMessage(route, 'SignUp', 'en');
    const other = routeForMessage(route, 'ForgotPassword', 'hi');

    // Assess
    expect(hindi).toEqual({
      transport: 'sns',
      region: 'ap-south-1',
      templateId: '1202',
    });
    expect(english.templateId).toBe('1201');
    expect(other.templateId).toBe('1107');
    expect(
      routeForMessage({ ...route, templateIds: undefined }, 'SignUp', 'hi'),
    ).toMatchObject({ templateId: '1107' });
  });

  it('gives an End User Messaging invitation its own, longer TimeToLive', () => {
    // Prepare
    const plan = planRoutes({
      ...base,
      transport: 'end-user-messaging',
      country: 'US',
    });
    const route = plan.ok ? plan.routes[0] : undefined;
    if (route === undefined) throw new Error('no route planned');

    // Act
    const invitation = routeForMessage(route, 'AdminCreateUser', 'en');
    const code = routeForMessage(route, 'SignUp', 'en');

    // Assess
    expect(invitation).toMatchObject({ timeToLiveSeconds: 86400 });
    expect(code).toMatchObject({ timeToLiveSeconds: 300 });
  });

  it('orders End User Messaging routes identity by identity, region by region', () => {
    // Act
    const plan = planRoutes({
      ...base,
      transport: 'end-user-messaging',
      country: 'US',
    });

    // Assess
    const routes = plan.ok
      ? plan.routes.map(
          (r) =>
            `${r.region}/${r.transport === 'end-user-messaging' ? r.identity?.id : ''}`,
        )
      : [];
    expect(routes).toEqual(['eu-central-1/12345', 'eu-central-1/+18885550100']);
  });

  it('falls back to the * chain and applies deployment overrides in the pool region', () => {
    // Act
    const plan = planRoutes({
      ...base,
      transport: 'end-user-messaging',
      country: 'FR',
      regionOverride: ['eu-west-3'],
      deployment: {
        configurationSetName: 'stage-set',
        protectConfigurationId: 'protect-1',
      },
    });

    // Assess
    expect(plan).toEqual({
      ok: true,
      routes: [
        {
          transport: 'end-user-messaging',
          region: 'eu-central-1',
          identity: { type: 'pool', id: 'pool-1' },
          configurationSetName: 'stage-set',
          protectConfigurationId: 'protect-1',
          timeToLiveSeconds: 300,
          invitationTimeToLiveSeconds: 86400,
        },
      ],
    });
  });

  it('lists each region once, and sends a configuration set ARN only in its region', () => {
    // Prepare
    const regional = smsSettingsSchema.parse({
      endUserMessaging: {
        regions: ['eu-west-1', 'eu-central-1', 'eu-west-1'],
        configurationSetName:
          'arn:aws:sms-voice:eu-west-1:123456789012:configuration-set/otp',
      },
    });

    // Act
    const plan = planRoutes({
      ...base,
      settings: regional,
      transport: 'end-user-messaging',
      country: 'DE',
    });

    // Assess
    const routes = plan.ok
      ? plan.routes.map((r) =>
          r.transport === 'end-user-messaging'
            ? `${r.region}/${r.configurationSetName ? 'set' : '-'}`
            : '',
        )
      : [];
    expect(routes).toEqual(['eu-west-1/set', 'eu-central-1/-']);
  });

  it('sends End User Messaging from its own regions, never those of the SNS table', () => {
    // Prepare
    const regional = smsSettingsSchema.parse({
      endUserMessaging: {
        regions: ['ap-northeast-1', 'ap-northeast-2'],
        countries: {
          JP: {
            identities: [
              {
                type: 'sender-id',
                id: 'arn:aws:sms-voice:ap-northeast-1:123456789012:sender-id/SUITE/JP',
              },
              { type: 'pool', id: 'pool-2' },
            ],
          },
        },
      },
    });

    // Act
    const plan = planRoutes({
      ...base,
      cognitoRegion: 'ap-northeast-2',
      settings: regional,
      transport: 'end-user-messaging',
      country: 'JP',
      deployment: { configurationSetName: 'stage-set' },
    });

    // Assess
    const routes = plan.ok
      ? plan.routes.map((r) =>
          r.transport === 'end-user-messaging'
            ? `${r.region}/${r.identity?.type}/${r.configurationSetName ?? '-'}`
            : '',
        )
      : [];
    expect(routes).toEqual([
      'ap-northeast-1/sender-id/-',
      'ap-northeast-1/pool/-',
      'ap-northeast-2/pool/stage-set',
    ]);
  });

  it('reports a pool region missing from the table', () => {
    // Act
    const plan = planRoutes({
      ...base,
      transport: 'sns',
      country: 'DE',
      cognitoRegion: 'eu-east-7',
    });

    // Assess
    expect(plan).toEqual({ ok: false, reason: 'region_not_in_table' });
  });
});
