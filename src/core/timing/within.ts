// A promise given a deadline: what it resolves to in time, else undefined (a language server still loading can
// take a minute to answer; the caller goes on without it).
export function within<T>(promise: PromiseLike<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([Promise.resolve(promise), late]).finally(() => clearTimeout(timer));
}
