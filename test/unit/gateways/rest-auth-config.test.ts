// GET /v1/auth/config (how the sign-in page asks for a token) and the page's content security
// policy, which names the OpenID provider's origin exactly when sign-in goes through one.
import t from 'tap';
import { authSchema } from '../../../config/schema.js';
import { NOBODY } from '../../../gateways/identity/identity.js';
import { AUTH_CONFIG_PATH, authConfigRoute, publicAuthConfig, restRoutes } from '../../../gateways/rest/index.js';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from '../../../gateways/web-assets.js';
import { documented } from './openapi-check.js';
import { alertDesk, emptyStore, instruments, invoke, parsed, portfolios, routeOf } from './rest-fixtures.js';

const api = documented();
const oidc = authSchema.parse({
  jwksUrl: 'https://idp.example/realms/desk/protocol/openid-connect/certs',
  issuer: 'https://idp.example/realms/desk',
  oidcClientId: 'riskline-terminal',
  oidcScope: 'openid profile',
});

t.test('/v1/auth/config says open, token or oidc, without a token, as documented', async (t) => {
  const cases = [
    [publicAuthConfig(authSchema.parse({}), false), { mode: 'open' }],
    [publicAuthConfig(authSchema.parse({ jwksUrl: 'https://idp.example/jwks' }), true), { mode: 'token' }],
    [
      publicAuthConfig(oidc, true),
      {
        mode: 'oidc',
        issuer: 'https://idp.example/realms/desk',
        clientId: 'riskline-terminal',
        scope: 'openid profile',
      },
    ],
  ] as const;
  for (const [config, expected] of cases) {
    const route = authConfigRoute(config);
    t.equal(route.auth, undefined, 'public: no token needed');
    const reply = await invoke(route, NOBODY);
    t.equal(reply.status, 200);
    t.same(parsed(reply), expected);
    t.same(api.check(route, reply), [], `${expected.mode} matches openapi.yaml`);
  }
  const route = routeOf(
    restRoutes({ store: emptyStore(), portfolios, instruments, alerts: alertDesk().entry }),
    'GET',
    AUTH_CONFIG_PATH,
  );
  t.same(parsed(await invoke(route, NOBODY)), { mode: 'token' }, 'restRoutes without a config: a pasted token');
});

t.test("the page's connect-src names the OpenID provider's origin only when one is configured", async (t) => {
  t.equal(contentSecurityPolicy(), CONTENT_SECURITY_POLICY);
  t.match(CONTENT_SECURITY_POLICY, /(^|; )connect-src 'self'(;|$)/);
  t.equal(contentSecurityPolicy(authSchema.parse({ jwksUrl: 'https://idp.example/jwks' })), CONTENT_SECURITY_POLICY);
  const csp = contentSecurityPolicy(oidc);
  t.match(csp, /(^|; )connect-src 'self' https:\/\/idp\.example(;|$)/);
  t.notMatch(csp, /realms/, 'the origin only, not the issuer path (discovery and the token endpoint live under it)');
  t.equal(csp.replace(' https://idp.example', ''), CONTENT_SECURITY_POLICY, 'nothing else changes');
  const local = authSchema.parse({
    jwksUrl: 'http://127.0.0.1:9000/jwks',
    issuer: 'http://127.0.0.1:9000',
    oidcClientId: 'x',
  });
  t.match(contentSecurityPolicy(local), /connect-src 'self' http:\/\/127\.0\.0\.1:9000;/);
});
