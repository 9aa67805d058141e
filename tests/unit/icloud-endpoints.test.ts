import { describe, expect, it } from 'vitest';
import { authOrigin, resolveEndpoints } from '../../src-main/icloud/endpoints.js';

describe('icloud endpoints', () => {
  it('defaults to Apple global hosts', () => {
    expect(resolveEndpoints()).toEqual({
      auth: 'https://idmsa.apple.com/appleauth/auth',
      setup: 'https://setup.icloud.com/setup/ws/1',
      webOrigin: 'https://www.icloud.com',
    });
  });

  it('switches setup and web to .com.cn for China, with the sign-in host its own setting', () => {
    const china = resolveEndpoints({ region: 'china' });
    expect(china.setup).toBe('https://setup.icloud.com.cn/setup/ws/1');
    expect(china.webOrigin).toBe('https://www.icloud.com.cn');
    expect(china.auth).toBe('https://idmsa.apple.com.cn/appleauth/auth');
    const override = resolveEndpoints({ region: 'china', auth: 'https://idmsa.apple.com/appleauth/auth/' });
    expect(override.auth).toBe('https://idmsa.apple.com/appleauth/auth');
    expect(override.setup).toBe(china.setup);
    expect(authOrigin(override)).toBe('https://idmsa.apple.com');
  });

  it('refuses a non-http base URL', () => {
    expect(() => resolveEndpoints({ setup: 'file:///etc/passwd' })).toThrow(/http/);
  });
});
