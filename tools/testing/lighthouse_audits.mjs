// Lighthouse on several pages from one Node process and one chromium (tools/testing/lighthouse.py).
//
// `node lighthouse_audits.mjs CHROMIUM CHROME_FLAGS`, then one audit a line of standard input, a JSON
// object {"url": ..., "categories": [...]}: each answer is a line of JSON on standard output, the
// categories' scores as Lighthouse gives them (0 to 1), in the order asked. The CLI (`lighthouse URL`)
// starts Node, loads Lighthouse and launches chromium for each page: here that is done once, and each
// audit opens a tab of its own in the same chromium, as the CLI does with `--port`. Chromium is
// launched as the CLI launches it (chrome-launcher with its default flags and these) and each audit
// is the CLI's: Lighthouse's default configuration, the mobile profile with simulated throttling,
// less the full-page screenshot (`--disable-full-page-screenshot`), which only the HTML report shows
// and no score reads: leaving it out spared five audits about 4 s of 40.
import * as readline from 'node:readline';

import * as ChromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const [chromePath, chromeFlags] = process.argv.slice(2);

const chrome = await ChromeLauncher.launch({chromePath, chromeFlags: chromeFlags.split(' ')});
try {
  for await (const line of readline.createInterface({input: process.stdin, terminal: false})) {
    const {url, categories} = JSON.parse(line);
    const flags = {
      port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: categories, disableFullPageScreenshot: true,
    };
    const {lhr} = await lighthouse(url, flags);
    if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const scores = Object.fromEntries(categories.map(name => [name, lhr.categories[name].score]));
    process.stdout.write(JSON.stringify(scores) + '\n');
  }
} finally {
  await chrome.kill();
}
