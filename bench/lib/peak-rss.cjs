// Preloaded with `node -r` into a measured process: reports its peak resident memory and its CPU time (all its
// threads, user + system; on a loaded machine this changes far less than the wall time) on exit.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`peak-rss-kb=${process.resourceUsage().maxRSS} cpu-us=${user + system}\n`);
});
