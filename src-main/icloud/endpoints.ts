/**
 * The one place Apple's base URLs live (protocol spec 0.4). Tests pass the simulator's URLs;
 * production uses the defaults. The sign-in host is its own setting because sources disagree
 * about it for China mainland accounts (spec 7.2 item 4).
 */
export type ICloudRegion = 'global' | 'china';

export interface ICloudEndpoints {
  /** idmsa base, e.g. https://idmsa.apple.com/appleauth/auth (no trailing slash). */
  auth: string;
  /** setup base, e.g. https://setup.icloud.com/setup/ws/1 */
  setup: string;
  /** Web origin sent as Origin/Referer, e.g. https://www.icloud.com */
  webOrigin: string;
}

export interface EndpointOptions {
  region?: ICloudRegion;
  /** Overrides the sign-in base URL (for China: idmsa.apple.com.cn or idmsa.apple.com). */
  auth?: string;
  setup?: string;
  webOrigin?: string;
}

const DEFAULTS: Record<ICloudRegion, ICloudEndpoints> = {
  global: {
    auth: 'https://idmsa.apple.com/appleauth/auth',
    setup: 'https://setup.icloud.com/setup/ws/1',
    webOrigin: 'https://www.icloud.com',
  },
  // Decision: most sources (icloudpd, kei, pyicloud-old) use the .com.cn sign-in host for China;
  // users can point `auth` at idmsa.apple.com if Apple moves (pyicloud2, 2026).
  china: {
    auth: 'https://idmsa.apple.com.cn/appleauth/auth',
    setup: 'https://setup.icloud.com.cn/setup/ws/1',
    webOrigin: 'https://www.icloud.com.cn',
  },
};

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

export function resolveEndpoints(options: EndpointOptions = {}): ICloudEndpoints {
  const base = DEFAULTS[options.region ?? 'global'];
  const endpoints = {
    auth: trimSlash(options.auth ?? base.auth),
    setup: trimSlash(options.setup ?? base.setup),
    webOrigin: trimSlash(options.webOrigin ?? base.webOrigin),
  };
  for (const [name, url] of Object.entries(endpoints)) {
    const protocol = new URL(url).protocol;
    if (protocol !== 'https:' && protocol !== 'http:') throw new Error(`endpoint ${name} must be an http(s) URL`);
  }
  return endpoints;
}

/** The origin of the sign-in host, sent as Origin/Referer on idmsa calls. */
export function authOrigin(endpoints: ICloudEndpoints): string {
  return new URL(endpoints.auth).origin;
}
