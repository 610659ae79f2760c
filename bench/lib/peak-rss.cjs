// Preloaded with `node -r` into a measured process: reports its peak resident memory on exit.
process.on('exit', () => process.stderr.write(`peak-rss-kb=${process.resourceUsage().maxRSS}\n`));
