declare module 'virtual:ehr-kit/manifest' {
  const manifest: { schemaVersion: string; modules: unknown[] };
  export default manifest;
}
/// <reference path="../demo/virtual.d.ts" />
