// esbuild plugins shared by the deploy build and `npm run build`.
// Each one trims what a Lambda bundle loads at cold start; each is listed
// with the reason it is safe.

/** @returns {import('esbuild').Plugin[]} */
function all() {
  return [];
}

module.exports = { all };
