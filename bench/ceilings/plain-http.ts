// Ceiling for `me` and the token endpoint: node:http answering every request with the JSON the real server returned,
// reading the request body first as a GraphQL server must.
import http from "node:http";

// RAW_JSON: answer exactly this body (the token endpoint's ceiling); otherwise `me`'s GraphQL answer.
const body = Buffer.from(process.env.RAW_JSON ?? JSON.stringify({ data: { me: JSON.parse(process.env.ME_JSON ?? "{}") } }));

http
  .createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": body.length });
      res.end(body);
    });
  })
  .listen(Number(process.env.PORT), process.env.HOST ?? "127.0.0.1");
