import { keySetCacheModel } from './key-set-cache-model.ts';
import type { VerifierModel } from './verifier-model.ts';

/** `ConfigurationManager<OpenIdConnectConfiguration>` intervals that shape its cache (seconds). */
export interface MicrosoftIdentityModelOptions {
  /** `AutomaticRefreshInterval` (default 12 h). */
  automaticRefreshIntervalSeconds?: number;
  /** `RefreshInterval` (default 5 min): how soon after a fetch `RequestRefresh` may fetch again. */
  refreshIntervalSeconds?: number;
}

/** The random delay ConfigurationManager adds to each automatic refresh, at most. */
const AUTOMATIC_REFRESH_JITTER_MS = 60 * 60_000;

/**
 * Microsoft.IdentityModel.Protocols 7.x/8.x `ConfigurationManager<T>` (as ASP.NET Core's
 * JwtBearer uses it), read in `src/Microsoft.IdentityModel.Protocols/Configuration/
 * ConfigurationManager.cs` of AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet:
 * `GetConfigurationAsync` keeps the configuration (and its signing keys) until `_syncAfter`, set to
 * now + `AutomaticRefreshInterval` (12 h) + a random 0-60 min jitter; a signature key not found
 * makes the handler call `RequestRefresh`, which fetches again only when the last fetch (7.x,
 * `_lastRefresh`) or the last refresh request (8.x, `_lastRequestRefresh`, fetched on a background
 * thread) is at least `RefreshInterval` (5 min) old; the first request of a process is never held
 * back. The worst case counts the full hour of jitter and a refresh just before the new key, and
 * treats the refetch as immediate (ASP.NET Core refuses the one request that triggered it).
 */
export function microsoftIdentityModelModel(options: MicrosoftIdentityModelOptions = {}): VerifierModel {
  const automatic = options.automaticRefreshIntervalSeconds ?? 12 * 3600;
  const refresh = options.refreshIntervalSeconds ?? 300;
  return keySetCacheModel({
    library: 'microsoft-identitymodel',
    model:
      `Microsoft.IdentityModel ConfigurationManager: keys refreshed every ${automatic / 3600} h (AutomaticRefreshInterval, ` +
      `plus up to 1 h jitter), refetched on an unknown kid once the last fetch is ${refresh / 60} min old (RefreshInterval)`,
    cacheMs: automatic * 1000 + AUTOMATIC_REFRESH_JITTER_MS,
    missCooldownMs: refresh * 1000,
  });
}
