// The Observable runtime ships no types; this is the part of its API the notebook uses.
declare module '@observablehq/runtime' {
  export interface Observer {
    pending(): void;
    fulfilled(value: unknown): void;
    rejected(error: unknown): void;
  }
  export interface Variable {
    define(name: string | null, inputs: string[], definition: (...inputs: any[]) => unknown): Variable;
    delete(): void;
  }
  export interface Module {
    variable(observer?: Observer): Variable;
  }
  export class Runtime {
    constructor(builtins?: Record<string, unknown>, global?: (name: string) => unknown);
    module(): Module;
    dispose(): void;
  }
}
