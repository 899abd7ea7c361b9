const { parseAllDocuments } = await import('yaml');
const n = Number(process.argv[3]);
const kind = process.argv[2];
const w = kind === 'flow' ? 'a: [' + '1, '.repeat(n) + '1]' : Array.from({ length: n / 2 }, (_, i) => `  k${i}: value${i}`).join('\n').replace(/^/, 'a:\n');
const c0 = process.cpuUsage(); let t = Date.now(); parseAllDocuments(w, {uniqueKeys: false}); const c = process.cpuUsage(c0);
console.log(kind, n, 'wall', Date.now()-t, 'cpu user+sys', ((c.user + c.system)/1000)|0, 'rss', process.memoryUsage().rss/1e6|0);
