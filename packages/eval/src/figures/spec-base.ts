/** What every figure's spec starts from. Its own module: the specs import it, and the browser (`ser ui`) imports the specs without the Node renderer. */
export const SPEC_BASE = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', background: 'white' } as const;
