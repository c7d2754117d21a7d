// Ceiling for `me`: node:http answering every request with the JSON the real server returned,
// reading the request body first as a GraphQL server must.
import http from "node:http";

const body = Buffer.from(JSON.stringify({ data: { me: JSON.parse(process.env.ME_JSON ?? "{}") } }));

http
  .createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": body.length });
      res.end(body);
    });
  })
  .listen(Number(process.env.PORT), process.env.HOST ?? "127.0.0.1");
