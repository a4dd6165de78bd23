/** Where new ids come from: passed in, like the clock (the store's default is time-ordered and random). */
export interface IdSource {
  /** a new id `<prefix>_<time-ordered part><random part>`, unique and sortable by creation time */
  next(prefix: string, at: Date): string;
}
