// Lets the Action's bundle entry import WASM files, which esbuild embeds as bytes.
declare module "*.wasm" {
  const bytes: Uint8Array;
  export default bytes;
}
