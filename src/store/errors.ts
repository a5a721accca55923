/** A store file that cannot be opened as given (not SQLite, no such folder, a newer schema): the user's input to fix. */
export class StoreOpenError extends Error {
  override name = "StoreOpenError";
}
