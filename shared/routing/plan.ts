import type {
  EumCountrySettings,
  SmsSettings,
  SnsCountrySettings,
} from '../sms/settings';
import { type OriginationIdentity, selectChain } from './identity-chain';
import { planSnsRegions } from './sns-regions';

/** How the suite hands an SMS to AWS (`SMS_TRANSPORT`). */
export type Transport = 'sns' | 'end-user-messaging';

/** SNS `Publish` from one region, with the destination country's attributes. */
export interface SnsRoute {
  readonly transport: 'sns';
  readonly region: string;
  readonly senderId?: string;
  readonly originationNumber?: string;
  readonly maxPrice?: string;
  readonly entityId?: string;
  readonly templateId?: string;
  /** India: the registered template of each message kind (see below). */
  readonly templateIds?: Readonly<Record<string, string>>;
}

/** End User Messaging `SendTextMessage` from one region and identity. */
export interface EumRoute {
  readonly transport: 'end-user-messaging';
  readonly region: string;
  /** `undefined`: no identity given, the service picks the account's. */
  readonly identity?: OriginationIdentity;
  readonly configurationSetName?: string;
  readonly protectConfigurationId?: string;
  readonly maxPrice?: string;
  readonly timeToLiveSeconds: number;
  /** `TimeToLive` of an invitation (AdminCreateUser). */
  readonly invitationTimeToLiveSeconds: number;
  readonly entityId?: string;
  readonly templateId?: string;
  /** India: the registered template of each message kind (see below). */
  readonly templateIds?: Readonly<Record<string, string>>;
}

/** One way to deliver the message; tried in order. */
export type Route = SnsRoute | EumRoute;

/** The ordered routes, or a terminal reason why there is none. */
export type RoutePlan =
  | { readonly ok: true; readonly routes: readonly Route[] }
  | {
      readonly ok: false;
      readonly reason: 'region_not_in_table' | 'no_origination_identity';
    };

/** What the plan depends on. */
export interface PlanInput {
  readonly transport: Transport;
  /** The pool's Cognito region (`event.region`). */
  readonly cognitoRegion: string;
  /** `SNS_REGIONS`, which overrides the table when set (SNS only). */
  readonly regionOverride: readonly string[];
  /** The destination's ISO country code. */
  readonly country: string;
  readonly settings: SmsSettings;
  /** Deployment values that win over suite.json (empty = not set). */
  readonly deployment?: {
    readonly configurationSetName?: string | undefined;
    readonly protectConfigurationId?: string | undefined;
  };
}

/**
 * Orders the routes for one message: every identity of the country's chain
 * in the preferred region, then the same in the failover region(s).
 *
 * SNS takes its regions from Cognito's table (or `SNS_REGIONS`). End User
 * Messaging sends from `endUserMessaging.regions`, by default the pool's
 * region: its identities and configuration sets are regional resources, so
 * the SNS table says nothing about where they are. The deployment's
 * configuration set and protect configuration exist in the pool's region
 * only, so other regions' routes go without them, and when any route has
 * a protect configuration, the routes without one are dropped (never sent
 * around it); an identity given as an ARN is used only in its own region,
 * and an SNS origination number only in the preferred SNS region.
 *
 * @param input - transport, regions, destination country and settings
 * @example
 * planRoutes({ transport: 'sns', cognitoRegion: 'eu-west-2', regionOverride: [], country: 'GB', settings });
 * // routes: sns@eu-west-2, then sns@eu-west-1
 */
export function planRoutes(input: PlanInput): RoutePlan {
  if (input.transport === 'end-user-messaging') return planEumRoutes(input);
  const regions = planSnsRegions(input.cognitoRegion, input.regionOverride);
  if (!regions.ok) return regions;
  const sns = input.settings.sns;
  const own = Object.hasOwn(sns.countries, input.country)
    ? sns.countries[input.country]
    : sns.countries['*'];
  return {
    ok: true,
    routes: regions.regions.map((region, index) =>
      snsRoute(region, own, sns.maxPrice, index === 0),
    ),
  };
}

/** The region of an identity given as an ARN (`arn:aws:sms-voice:<region>:…`). */
function arnRegionOf(id: string): string | undefined {
  return id.startsWith('arn:') ? id.split(':')[3] : undefined;
}

function planEumRoutes(input: PlanInput): RoutePlan {
  const settings = input.settings.endUserMessaging;
  const chain = selectChain(
    settings.countries,
    input.country,
    settings.missingIdentity,
  );
  if (!chain.ok) return chain;
  const identities: ReadonlyArray<OriginationIdentity | undefined> = chain.entry
    ?.identities ?? [undefined];
  const regions = [
    ...new Set(
      settings.regions.length > 0 ? settings.regions : [input.cognitoRegion],
    ),
  ];
  const routes = regions.flatMap((region) => {
    const eum = inRegion(
      region === input.cognitoRegion
        ? withDeployment(settings, input.deployment)
        : settings,
      region,
    );
    return identities
      .filter((identity) => {
        const own = identity && arnRegionOf(identity.id);
        return own === undefined || own === region;
      })
      .map((identity) => eumRoute(region, identity, eum, chain.entry));
  });
  // A protect configuration blocks countries and destinations; a route in
  // a region where it does not exist would go around it (and a flood that
  // throttles the pool's region is what sends traffic to the next one).
  const isProtected = routes.some((route) => route.protectConfigurationId);
  const guarded = isProtected
    ? routes.filter((route) => route.protectConfigurationId)
    : routes;
  return guarded.length > 0
    ? { ok: true, routes: guarded }
    : { ok: false, reason: 'no_origination_identity' };
}

/** Drops a configuration set or protect configuration ARN of another region. */
function inRegion(
  eum: SmsSettings['endUserMessaging'],
  region: string,
): SmsSettings['endUserMessaging'] {
  const here = (id: string | undefined) => {
    const own = id && arnRegionOf(id);
    return own === undefined || own === '' || own === region ? id : undefined;
  };
  return {
    ...eum,
    configurationSetName: here(eum.configurationSetName),
    protectConfigurationId: here(eum.protectConfigurationId),
  };
}

function withDeployment(
  eum: SmsSettings['endUserMessaging'],
  deployment: PlanInput['deployment'],
): SmsSettings['endUserMessaging'] {
  return {
    ...eum,
    configurationSetName:
      deployment?.configurationSetName || eum.configurationSetName,
    protectConfigurationId:
      deployment?.protectConfigurationId || eum.protectConfigurationId,
  };
}

function snsRoute(
  region: string,
  country: SnsCountrySettings | undefined,
  defaultMaxPrice: string | undefined,
  isPreferred: boolean,
): SnsRoute {
  const maxPrice = country?.maxPrice ?? defaultMaxPrice;
  return {
    transport: 'sns',
    region,
    ...(country?.senderId ? { senderId: country.senderId } : {}),
    // An origination number is a resource of one region: the preferred
    // one. A failover region sends without it, and SNS picks the account's
    // own identity there for the destination country.
    ...(country?.originationNumber && isPreferred
      ? { originationNumber: country.originationNumber }
      : {}),
    ...(maxPrice ? { maxPrice } : {}),
    ...(country?.entityId ? { entityId: country.entityId } : {}),
    ...(country?.templateId ? { templateId: country.templateId } : {}),
    ...(country?.templateIds ? { templateIds: country.templateIds } : {}),
  };
}

function eumRoute(
  region: string,
  identity: OriginationIdentity | undefined,
  eum: SmsSettings['endUserMessaging'],
  country: EumCountrySettings | undefined,
): EumRoute {
  const maxPrice = country?.maxPrice ?? eum.maxPrice;
  return {
    transport: 'end-user-messaging',
    region,
    timeToLiveSeconds: eum.timeToLiveSeconds,
    invitationTimeToLiveSeconds: eum.invitationTimeToLiveSeconds,
    ...(identity ? { identity } : {}),
    ...(eum.configurationSetName
      ? { configurationSetName: eum.configurationSetName }
      : {}),
    ...(eum.protectConfigurationId
      ? { protectConfigurationId: eum.protectConfigurationId }
      : {}),
    ...(maxPrice ? { maxPrice } : {}),
    ...(country?.entityId ? { entityId: country.entityId } : {}),
    ...(country?.templateId ? { templateId: country.templateId } : {}),
    ...(country?.templateIds ? { templateIds: country.templateIds } : {}),
  };
}

/**
 * The route for one message: an End User Messaging invitation gets the
 * invitation's `TimeToLive`; India's DLT registers each message text, so
 * the template id is the one registered for the message's kind in the
 * catalogue locale it was written in (`SignUp:hi`), else for its kind
 * (`SignUp`), else the country's `templateId`.
 *
 * @param route - a planned route
 * @param kind - the message kind
 * @param locale - the catalogue locale the text was rendered in
 */
export function routeForMessage<R extends Route>(
  route: R,
  kind: string,
  locale: string,
): R {
  const timed =
    route.transport === 'end-user-messaging' && kind === 'AdminCreateUser'
      ? { ...route, timeToLiveSeconds: route.invitationTimeToLiveSeconds }
      : route;
  const { templateIds, ...rest } = timed;
  if (!templateIds) return timed;
  const templateId =
    templateIds[`${kind}:${locale}`] ?? templateIds[kind] ?? route.templateId;
  return { ...rest, ...(templateId ? { templateId } : {}) } as R;
}
