/**
 * Keys of the PostgreSQL advisory locks Signet takes, in the two-integer form. The first integer is
 * a namespace of Signet's ('SIGN' and 'SIGO' in ASCII), so other applications sharing the database
 * are not blocked by them.
 */
export const ADVISORY_LOCK_NAMESPACE = 0x5349474e;

/** Serialises migrations between instances starting at once. */
export const MIGRATION_LOCK = 1;

/** Serialises write transactions between instances, as SQLite's single writer does in one file. */
export const WRITE_LOCK = 2;

/** Namespace of the named locks of `Store.exclusively`; the second integer is hashtext(name). */
export const NAMED_LOCK_NAMESPACE = 0x5349474f;
