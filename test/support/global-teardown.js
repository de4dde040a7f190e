// After the tests: stops the PostgreSQL server of the global setup and removes its folder.
module.exports = async () => {
  globalThis.__HEADSHOT_POSTGRES__?.stop();
};
