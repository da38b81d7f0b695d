// @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs the Reflect metadata
// polyfill loaded before the library module is evaluated; ESM evaluates imports in order.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

// Node's WebCrypto; set once here so no caller has to remember it.
x509.cryptoProvider.set(globalThis.crypto);

/** @peculiar/x509, configured with Node's WebCrypto; import it from here, never directly. */
export { x509 };
