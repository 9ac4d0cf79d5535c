// The few WebAssembly globals the schema engine loader uses: @types/node 20 does not declare
// them, and the DOM library would bring in far more than a server needs.
declare namespace WebAssembly {
  type Exports = Record<string, unknown>;
  type ModuleImports = Record<string, unknown>;
  interface Instance {
    readonly exports: Exports;
  }
  function instantiate(bytes: Uint8Array, imports: Record<string, ModuleImports>): Promise<{ instance: Instance }>;
}
