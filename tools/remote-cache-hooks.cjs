/**
 * Nx task-execution hooks of the pipeline plugin (nx-pipeline-plugin.cjs): when a self-hosted
 * remote cache is configured (NX_SELF_HOSTED_REMOTE_CACHE_SERVER), this run's Nx reaches it through
 * a local proxy that checks every entry before Nx restores it and bounds every request in time
 * (packages/core/src/remote-cache-proxy.ts). The hooks run for every `nx run`, so a single stage's
 * target is covered as much as `pipeline:all`. What preTasksExecution sets in process.env, Nx
 * applies to its own process (which may not be this one) before it creates its cache client.
 *
 * SER_REMOTE_CACHE_TIMEOUT_MS: how long the server may take to answer (default 5000; transfers get
 * 1 s per MB more).
 */
const { join } = require('node:path');

let proxy = null;

async function startProxy(workspaceRoot, upstream) {
  const { bundle } = await import('@ser/build/bundle');
  const main = join(workspaceRoot, 'packages/core/src/remote-cache-proxy.ts');
  const { startVerifyingProxy } = await import(await bundle('remote-cache-proxy', `export * from ${JSON.stringify(main)};\n`, main));
  const timeoutMs = Number(process.env.SER_REMOTE_CACHE_TIMEOUT_MS) || undefined;
  return startVerifyingProxy(upstream, { timeoutMs });
}

module.exports = {
  async preTasksExecution(_options, context) {
    const upstream = process.env.NX_SELF_HOSTED_REMOTE_CACHE_SERVER;
    if (!upstream) return;
    try {
      proxy = await startProxy(context.workspaceRoot, upstream);
      process.env.NX_SELF_HOSTED_REMOTE_CACHE_SERVER = proxy.url;
    } catch (e) {
      // Never let Nx use the server unchecked: without the proxy, no remote cache (Nx reads '' as none).
      console.error(`warning: remote cache ${upstream}: the verifying proxy did not start (${e.message}); this run goes on with the local cache only`);
      process.env.NX_SELF_HOSTED_REMOTE_CACHE_SERVER = '';
    }
  },
  async postTasksExecution() {
    await proxy?.close();
    proxy = null;
  },
};
