import pkcs11js from 'pkcs11js';
import { SignetError } from '../errors.ts';

/** Where the PKCS#11 token is and how to log in to it (docs/configuration.md, `SIGNET_PKCS11_*`). */
export interface Pkcs11TokenOptions {
  modulePath: string;
  /** The token's label; or `slot`. */
  tokenLabel: string | null;
  slot: number | null;
  /** The user PIN; never logged, never echoed. */
  pin: string;
  /** Sessions opened for concurrent operations (a session runs one operation at a time). */
  sessions?: number;
}

/** An open, logged-in token with a small pool of sessions. */
export interface Pkcs11Token {
  readonly module: pkcs11js.PKCS11;
  /** The mechanisms the token's slot offers, read at start-up. */
  readonly mechanisms: ReadonlySet<number>;
  /** A session of the pool; after the token went away, reconnects first (or throws ERR_CUSTODY_UNAVAILABLE). */
  acquire(): Promise<Buffer>;
  release(session: Buffer): void;
  /** Records that the token went away: the sessions are dropped and the next acquire reconnects. */
  markGone(): void;
  /** Whether the token still answers on this session (after a failure, to tell "gone" from "refused"). */
  isHealthy(session: Buffer): boolean;
  isAvailable(): boolean;
  close(): Promise<void>;
}

const DEFAULT_SESSIONS = 4;

// A module is initialised once per process (PKCS#11 §5.4): C_Finalize waits for its last user here.
const usersOfModule = new Map<string, number>();

function startupError(variable: string, message: string): SignetError {
  return new SignetError('ERR_VALIDATION', `${variable}: ${message}`, { variable });
}

function labelOf(module: pkcs11js.PKCS11, slot: Buffer): string {
  // CK_TOKEN_INFO pads the label with spaces to 32 bytes.
  return module.C_GetTokenInfo(slot).label.trimEnd();
}

/** A CK_SLOT_ID as a number (pkcs11js hands it over as the native unsigned long's bytes). */
function slotNumber(slot: Buffer): number {
  return slot.length === 8 ? Number(slot.readBigUInt64LE()) : slot.readUInt32LE();
}

function findSlot(module: pkcs11js.PKCS11, options: Pkcs11TokenOptions): Buffer | null {
  const slots = module.C_GetSlotList(true);
  if (options.tokenLabel !== null) return slots.find((slot) => labelOf(module, slot) === options.tokenLabel) ?? null;
  return slots.find((slot) => slotNumber(slot) === options.slot) ?? null;
}

/** The 503 of a token that is away; signing resumes when it is back. */
export function unavailable(): SignetError {
  return new SignetError(
    'ERR_CUSTODY_UNAVAILABLE',
    'the PKCS#11 token is unavailable; signing with its keys resumes when it is back',
  );
}

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/**
 * Loads the PKCS#11 module, finds the token and logs in. Start-up stops with a message naming the
 * variable at fault: a module that does not load, an absent token, a refused PIN (never echoed).
 */
export function openPkcs11Token(options: Pkcs11TokenOptions): Pkcs11Token {
  const module = new pkcs11js.PKCS11();
  try {
    module.load(options.modulePath);
  } catch {
    throw startupError('SIGNET_PKCS11_MODULE', `cannot load the PKCS#11 module ${options.modulePath}`);
  }
  try {
    // OS locking: signatures run on several libuv threads at once.
    module.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (error) {
    if (codeOf(error) !== pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      throw startupError('SIGNET_PKCS11_MODULE', `the PKCS#11 module ${options.modulePath} failed to initialise`);
    }
  }
  usersOfModule.set(options.modulePath, (usersOfModule.get(options.modulePath) ?? 0) + 1);
  const size = options.sessions ?? DEFAULT_SESSIONS;
  const idle: Buffer[] = [];
  const waiting: Array<{ resolve: (session: Buffer) => void; reject: (error: unknown) => void }> = [];
  let open = 0;
  let slot: Buffer | null = null;
  let gone = false;
  let reconnecting: Promise<void> | null = null;

  function login(): void {
    slot = findSlot(module, options);
    if (slot === null) {
      const variable = options.tokenLabel !== null ? 'SIGNET_PKCS11_TOKEN_LABEL' : 'SIGNET_PKCS11_SLOT';
      const which = options.tokenLabel !== null ? `label "${options.tokenLabel}"` : `slot ${String(options.slot)}`;
      throw startupError(variable, `no PKCS#11 token with ${which} is present`);
    }
    const session = module.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    try {
      module.C_Login(session, pkcs11js.CKU_USER, options.pin);
    } catch (error) {
      if (codeOf(error) !== pkcs11js.CKR_USER_ALREADY_LOGGED_IN) {
        module.C_CloseSession(session);
        const code = codeOf(error);
        const reason =
          code === pkcs11js.CKR_PIN_INCORRECT || code === pkcs11js.CKR_PIN_LEN_RANGE
            ? 'the token refused the PIN'
            : code === pkcs11js.CKR_PIN_LOCKED
              ? 'the token has locked the PIN'
              : 'logging in to the token failed';
        throw startupError('SIGNET_PKCS11_PIN', `${reason} (SIGNET_PKCS11_PIN or SIGNET_PKCS11_PIN_FILE)`);
      }
    }
    idle.push(session);
    open = 1;
  }

  try {
    login();
  } catch (error) {
    finalize();
    throw error;
  }
  const mechanisms = new Set(module.C_GetMechanismList(slot as unknown as Buffer));

  function finalize(): void {
    const users = (usersOfModule.get(options.modulePath) ?? 1) - 1;
    usersOfModule.set(options.modulePath, users);
    try {
      if (users === 0) module.C_Finalize();
    } catch {
      // Finalising a module whose token went away has nothing left to release.
    }
    module.close();
  }

  async function reconnect(): Promise<void> {
    try {
      if (slot !== null) module.C_CloseAllSessions(slot);
    } catch {
      // The sessions are already gone with the token.
    }
    idle.length = 0;
    open = 0;
    for (const waiter of waiting.splice(0)) waiter.reject(unavailable());
    try {
      // A module whose token went away may keep it broken until it is initialised again (SoftHSM2
      // does), so coming back starts from C_Initialize, as a restart would.
      try {
        module.C_Finalize();
      } catch {
        // Not initialised any more, or the token took the module's state with it.
      }
      module.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
      login();
      gone = false;
    } catch {
      throw unavailable();
    }
  }

  /** True when the token answers: its info can be read and the session is open. */
  function isHealthy(session: Buffer): boolean {
    try {
      if (slot === null) return false;
      module.C_GetTokenInfo(slot);
      module.C_GetSessionInfo(session);
      return true;
    } catch {
      return false;
    }
  }

  return {
    module,
    mechanisms,
    async acquire() {
      if (gone) {
        reconnecting ??= reconnect().finally(() => {
          reconnecting = null;
        });
        await reconnecting;
      }
      const session = idle.pop();
      if (session) return session;
      if (open < size && slot !== null) {
        open += 1;
        try {
          return module.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
        } catch (error) {
          open -= 1;
          throw error;
        }
      }
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    release(session) {
      if (gone) return;
      const next = waiting.shift();
      if (next) next.resolve(session);
      else idle.push(session);
    },
    markGone() {
      gone = true;
    },
    isHealthy,
    isAvailable: () => !gone,
    async close() {
      for (const session of idle.splice(0)) {
        try {
          module.C_CloseSession(session);
        } catch {
          // Already closed with the token.
        }
      }
      finalize();
    },
  };
}
