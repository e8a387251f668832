// What a receiver's decoders keep from one request to the next, so that what its senders repeat in every request
// (attribute keys and values, service names, each service's resource, each library's scope) is made once and
// held once by all the spans that carry it.
import type { Resource, Scope } from '../model/trace';
import { KeyValueTable } from './keyValueTable';
import { SharedByBytes } from './sharedByBytes';
import { StringTable } from './stringTable';

export interface DecodeTables {
  strings: StringTable;
  resources: SharedByBytes<Resource>;
  scopes: SharedByBytes<Scope>;
  attributes: KeyValueTable;
}

/** `stringBits`: the string table's size, 2^bits places. */
export function newDecodeTables(stringBits?: number): DecodeTables {
  return { strings: new StringTable(stringBits), resources: new SharedByBytes(), scopes: new SharedByBytes(), attributes: new KeyValueTable() };
}
