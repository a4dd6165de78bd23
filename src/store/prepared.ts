/**
 * Queries built and compiled by Kysely once, then run many times with new values. Building and compiling a query
 * afresh was about a fifth of a hot read's CPU time (docs/PERFORMANCE.md); its text never changes, only its values.
 * The builder is called once per shape (which of the values are present) and per SQL engine, with unique markers in
 * place of the values; the markers are then found among the compiled parameters and replaced on every run. So any
 * builder works, provided it passes each value through untouched as a parameter (`limit(v.limit)`, never
 * `limit(v.limit + 1)`, `sql.lit(v.x)` or a branch on a value's content). Checked when a shape is first compiled:
 * every present value must land in a parameter as its marker, and no marker in the text. Not caught: a change that
 * leaves the marker as it was (`v.id.trim()`) — keep transformations in the caller.
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.js';

const MARK = '\u0000peerlink-value:';

/** a value absent (undefined) changes the query's shape; null is a value like any other */
type Values = Record<string, string | number | null | undefined>;

interface Compiled {
  query: CompiledQuery;
  /** for each compiled parameter, the name of the value it takes, or null for a constant of the query itself */
  slots: Array<string | null>;
}

export class Prepared<V extends Values, R> {
  // by the engine's adapter (one per store; a transaction shares its store's), then by shape
  private readonly compiled = new WeakMap<object, Map<string, Compiled>>();

  constructor(private readonly build: (db: Kysely<Database>, v: V) => Compilable<R>) {}

  async run(db: Kysely<Database>, values: V): Promise<R[]> {
    const { query, slots } = this.compiledFor(db, values);
    const parameters = slots.map((name, i) => (name === null ? query.parameters[i] : values[name]));
    const result = await db.executeQuery<R>({ ...query, parameters });
    return result.rows;
  }

  async first(db: Kysely<Database>, values: V): Promise<R | undefined> {
    return (await this.run(db, values))[0];
  }

  private compiledFor(db: Kysely<Database>, values: V): Compiled {
    const adapter = db.getExecutor().adapter;
    let shapes = this.compiled.get(adapter);
    if (!shapes) this.compiled.set(adapter, (shapes = new Map<string, Compiled>()));
    const present = Object.keys(values).filter((k) => values[k] !== undefined);
    const shape = present.sort().join(',');
    let c = shapes.get(shape);
    if (!c) {
      const markers = Object.fromEntries(present.map((k) => [k, MARK + k])) as V;
      const query = this.build(db, markers).compile();
      const slots = query.parameters.map((p) => {
        if (typeof p !== 'string' || !p.includes(MARK)) return null;
        const name = p.slice(MARK.length);
        if (!p.startsWith(MARK) || !present.includes(name))
          throw new Error(`a prepared query changed its value ${JSON.stringify(p)}: pass values through untouched`);
        return name;
      });
      const unused = present.filter((k) => !slots.includes(k));
      if (unused.length > 0 || query.sql.includes(MARK))
        throw new Error(`a prepared query must pass each value as a parameter (${unused.join(', ') || 'in its text'})`);
      c = { query, slots };
      shapes.set(shape, c);
    }
    return c;
  }
}
