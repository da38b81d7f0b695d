/** A column value as a backup file carries it: what both engines' row parsers give, bytes as base64. */
export type DumpValue = string | number | boolean | null | { base64: string };

/** One table of the schema as the database describes it. */
export interface DumpTable {
  name: string;
  columns: string[];
}

/** Reads one consistent snapshot of every table; valid only inside `DatabaseDump.snapshot`. */
export interface SnapshotReader {
  /** The ids of the applied migrations, in id order. */
  migrations(): Promise<string[]>;
  /**
   * Every table of the schema but `schema_migrations`, with its columns in table order, each after
   * the tables its foreign keys reference, so rows restored in this order satisfy every constraint.
   */
  tables(): Promise<DumpTable[]>;
  /** Every row of `table`, in the order of its primary key, values in `columns` order. */
  rows(table: DumpTable): AsyncIterable<DumpValue[]>;
}

/** Writes rows into the restore transaction; valid only inside `DatabaseDump.restore`. */
export interface RestoreWriter {
  /** The tables of the target's schema, as `SnapshotReader.tables` gives them. */
  tables(): Promise<DumpTable[]>;
  /** Whether any table holds a row. */
  hasRows(): Promise<boolean>;
  /** Inserts `rows` (values in `table.columns` order) as they are. */
  insert(table: DumpTable, rows: readonly (readonly DumpValue[])[]): Promise<void>;
}

/**
 * Raw access to one database for `signet backup` and `signet restore`, implemented by each engine
 * (`src/storage/sqlite/open-sqlite-dump.ts`, `src/storage/postgres/open-postgres-dump.ts`). It
 * copies rows as they are stored: sealed keys stay sealed, hashes stay hashes.
 */
export interface DatabaseDump {
  readonly engine: 'sqlite' | 'postgres';
  /** The ids of every migration this version of Signet knows. */
  readonly migrationIds: readonly string[];
  /** Runs `fn` inside one read-only snapshot transaction, so concurrent writers never tear it. */
  snapshot<T>(fn: (reader: SnapshotReader) => Promise<T>): Promise<T>;
  /** Applies the migrations whose ids `only` lists (all when omitted), in id order. */
  migrate(only?: ReadonlySet<string>): Promise<void>;
  /** The ids of the applied migrations. */
  appliedMigrations(): Promise<string[]>;
  /** Runs `fn` in one write transaction that holds off other writers and starting servers; all or nothing. */
  restore(fn: (writer: RestoreWriter) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}
