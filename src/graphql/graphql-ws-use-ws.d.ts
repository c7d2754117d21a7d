// graphql-ws publishes its `ws` adapter only through package exports, which this project's
// "node" module resolution does not read; Node and Jest do, so only the types need pointing at.
declare module "graphql-ws/use/ws" {
  export { useServer, type Extra } from "graphql-ws/dist/use/ws";
}
