/** A TCP port free on loopback right now (free-port.js, shared with the JavaScript global setup). */
export function freePort(): Promise<number>;
