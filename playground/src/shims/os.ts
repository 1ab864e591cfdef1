/** `node:os` for the playground bundle: what INFO server/memory reads. */
const os = {
  type: () => 'Browser',
  release: () => 'playground',
  machine: () => 'wasm32',
  arch: () => 'wasm32',
  platform: () => 'browser',
  totalmem: () => 0,
  freemem: () => 0,
  hostname: () => 'localhost',
  availableParallelism: () => 1,
  cpus: () => [],
  EOL: '\n',
};
export default os;
export const { type, release, machine, arch, platform, totalmem, freemem, hostname, availableParallelism, cpus, EOL } = os;
