/**
 * The ISOLATED-world global the relay sets when it starts: the worker reads it to tell frames that
 * already have the relay from frames that loaded before the bridge was registered, and the relay
 * reads it so that a second injection into the same frame does nothing.
 */
export const RELAY_MARK = "__rtbNaaRelay";
