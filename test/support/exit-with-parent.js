// Preloaded (`node --require`) into the service processes a test starts: when the test's process goes away
// (its end of stdin closes: a crash, a killed jest), the child goes too, instead of running on unattended.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
process.stdin.unref?.();
